#!/usr/bin/env bash
# Installs the tools the test suite runs beside the project: poppler-utils (pdftotext, pdfinfo:
# the tests read the PDF documents back) and a Python virtual environment in target/test-tools
# with aiosmtpd (the SMTP server of the e-mail and PEC tests) and openapi-spec-validator (the
# API's OpenAPI 3.1 document is validated by it).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pdftotext >/dev/null 2>&1; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq poppler-utils
fi
venv=target/test-tools/venv
if ! "$venv/bin/python" -c 'import aiosmtpd, openapi_spec_validator' >/dev/null 2>&1; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'aiosmtpd==1.4.6' \
    'openapi-spec-validator==0.9.0'
fi
