#!/usr/bin/env bash
# SPID/CIE/eIDAS conformance with AgID's own validator, spid-sp-test (PyPI).
#
# Starts the server with a configuration that trusts the tool's fake IdP and an SP certificate
# made by `istanze keygen` (checked with spid-compliant-certificates), then runs for the
# profiles spid-sp-public, cie-sp-public and ficep-eidas-sp: the metadata checks (--extra),
# the AuthnRequest checks and the response tests (-tr); then spid-sp-public again for the
# municipality the same installation serves (its own SP under /enti/c_b999/), and
# spid-sp-ag-public-full for the one it serves as SPID aggregator (/enti/c_b998/). Prints one
# line per run,
# `<profile>: N passed, M failed`, writes the JSON reports under $SPID_SP_TEST_OUT
# (default target/conformance), and exits non-zero on any failure or skipped response test.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${SPID_SP_TEST_OUT:-$root/target/conformance}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# spid-sp-test signs its responses with the xmlsec1 command and builds lxml/xmlsec bindings.
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
missing=()
for p in xmlsec1 libxml2-dev libxmlsec1-dev python3-venv; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

venv="$out/venv"
if [ ! -x "$venv/bin/spid_sp_test" ] || [ ! -x "$venv/bin/spid-compliant-certificates" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "spid-sp-test==1.2.18" "spid-compliant-certificates==0.5.5"
fi

cd "$root"
cargo build -q -p istanze-server --bin istanze
bin="$root/target/debug/istanze"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

"$venv/bin/spid_sp_test" --idp-metadata > "$work/idp.xml" 2>/dev/null
"$bin" keygen --entity-id "$base" --organization "Provincia di Esempio" --ipa-code p_es \
  --key-out "$work/sp-key.pem" --cert-out "$work/sp-cert.pem" >/dev/null
# The municipality served by the same installation is a Service Provider of its own, with its
# own key and entity id under its base path.
municipality="$base/enti/c_b999"
"$bin" keygen --entity-id "$municipality" --organization "Comune di Borgo Esempio" \
  --ipa-code c_b999 --key-out "$work/c_b999-key.pem" --cert-out "$work/c_b999-cert.pem" >/dev/null

failures=0
cert_report="$out/certificate.txt"
"$venv/bin/spid-compliant-certificates" validator --sector public --crt-file "$work/sp-cert.pem" \
  > "$cert_report" 2>&1 || true
# The validator exits 0 even on errors; its error lines are marked [E].
cert_errors="$(sed 's/\x1b\[[0-9;]*m//g' "$cert_report" | grep -c '^\[E\]' || true)"
cert_checks="$(sed 's/\x1b\[[0-9;]*m//g' "$cert_report" | grep -c '^\[[IEW]\]' || true)"
echo "certificate: $((cert_checks - cert_errors)) passed, $cert_errors failed"
[ "$cert_errors" -eq 0 ] || failures=$((failures + 1))

cat > "$work/istanze.toml" <<TOML
[server]
bind = "127.0.0.1:$port"
public_url = "$base"
demo = true
data_dir = "$work/data"

[forms]
dir = "$root/forms"

[spid]
key_file = "$work/sp-key.pem"
cert_file = "$work/sp-cert.pem"
# The validator's fake IdP is a test IdP: marked as such (every page then says so), as it
# must be outside demo mode.
test_idp_metadata = ["$work/idp.xml"]

[administrations]
dir = "$work/administrations"
TOML
mkdir -p "$work/administrations"
sed -e "s|^dir = \"forms\"|dir = \"$root/forms\"|" "$root/config/administrations/c_b999.toml" \
  > "$work/administrations/c_b999.toml"
cat >> "$work/administrations/c_b999.toml" <<TOML

[spid]
key_file = "$work/c_b999-key.pem"
cert_file = "$work/c_b999-cert.pem"
TOML
# And one for which the installation is the SPID aggregator (Avviso SPID n.19 v4): its SP has
# the entity id $base/pub-ag-full/c_b998 and signs with the installation's key.
cat > "$work/administrations/c_b998.toml" <<TOML
[administration]
name = "Comune di Valle Esempio"
ipa_code = "c_b998"
aoo = "AOOB998"
register = "PROT"
url = "https://www.comune.valleesempio.it"
municipality = "B998"
contact_email = "protocollo@comune.valleesempio.it"

[forms]
dir = "$root/forms"

[spid]
aggregated = true
TOML

RUST_LOG=warn "$bin" serve --config "$work/istanze.toml" > "$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$base/healthz" >/dev/null

# run_profile <profile> <metadata path> <expected response tests> [<SP base URL> <name>]
run_profile() {
  local profile="$1" metadata="$2" expected_responses="$3" sp="${4:-$base}" name="${5:-$1}"
  (cd "$work" && "$venv/bin/spid_sp_test" \
      --metadata-url "$sp$metadata" \
      --authn-url "$sp/spid/login?idp=https://localhost:8443" \
      --extra -pr "$profile" -tr -rf json -o "$out/$name.json" --exit-zero \
      > "$out/$name.log" 2>&1) || true
  python3 - "$out/$name.json" "$name" "$expected_responses" <<'PY'
import json, sys
path, profile, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    report = json.load(open(path))["test"]["sp"]
except (OSError, ValueError, KeyError) as e:
    print(f"{profile}: 0 passed, 1 failed")
    print(f"  no report: {e}", file=sys.stderr)
    sys.exit(1)
passed = failed = 0
for category, checks in report.items():
    for name, results in checks.items():
        for r in results:
            if r.get("result") == "success":
                passed += 1
            else:
                failed += 1
                print(f"  {category}: {r.get('test')}", file=sys.stderr)
responses = sum(len(v) for v in report.get("response", {}).values())
for needed in ("metadata_extra", "authnrequest_extra", "response"):
    if needed not in report:
        print(f"  {needed} checks did not run", file=sys.stderr)
        failed += 1
if responses < expected:
    print(f"  only {responses} of {expected} response tests ran", file=sys.stderr)
    failed += expected - responses
print(f"{profile}: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
}

# spid-sp-test itself leaves out response tests 70 and 71 for CIE (the Issuer Format they
# test is optional there): 109 is all it runs for that profile.
run_profile spid-sp-public /spid/metadata 111 || failures=$((failures + 1))
run_profile cie-sp-public /cie/metadata 109 || failures=$((failures + 1))
run_profile ficep-eidas-sp /spid/metadata 111 || failures=$((failures + 1))
run_profile spid-sp-public /spid/metadata 111 "$municipality" "spid-sp-public (c_b999)" \
  || failures=$((failures + 1))
run_profile spid-sp-ag-public-full /spid/metadata 111 "$base/enti/c_b998" \
  "spid-sp-ag-public-full (c_b998)" || failures=$((failures + 1))

echo "reports: $out"
exit "$failures"
