#!/usr/bin/env bash
# Runs the Windows command line under wine64: the version, a read of the
# virtual card as JSON, and a seal read from the DEMO card's picture.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(realpath "${1:-dist}")
export WINEPREFIX=$(mktemp -d) WINEDEBUG=-all WINEARCH=win64
trap 'wineserver -k 2>/dev/null || true; rm -rf "$WINEPREFIX"' EXIT
exe="$dir/cnie-reader-cli.exe"
fail() { echo "wine-test: FAIL: $*" >&2; exit 1; }
wine64 "$exe" --version | tee /dev/stderr | grep -q "^CNIE Reader " || fail "--version"
wine64 "$exe" read --sim --json | tr -d '\r' | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["mrz"]["surname"] == "DEMO" and d["active_authentication"]["outcome"] == "passed", d
print("wine-test: read --sim --json: surname", d["mrz"]["surname"], "AA", d["active_authentication"]["outcome"])
' || fail "read --sim --json"
back="$WINEPREFIX/back.png"
wine64 "$exe" seal --demo-card "$back" >/dev/null || fail "seal --demo-card"
wine64 "$exe" seal "$back" --json --demo | tr -d '\r' | python3 -c '
import json, sys
d = json.load(sys.stdin)
sig = d.get("signature") or d.get("seal", {}).get("signature")
assert sig == "valid", d
print("wine-test: seal IMAGE --json: signature", sig)
' || fail "seal IMAGE --json"
echo "wine-test: the Windows command line works under wine64"
