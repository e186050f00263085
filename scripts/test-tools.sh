#!/usr/bin/env bash
# Installs the tools the test suite runs beside the project: a Python virtual environment in
# target/test-tools with aiosmtpd (the SMTP server of the e-mail and PEC tests).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/test-tools/venv
if ! "$venv/bin/python" -c 'import aiosmtpd' >/dev/null 2>&1; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'aiosmtpd==1.4.6'
fi
