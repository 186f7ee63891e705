#!/usr/bin/env bash
# Runs the Windows command line under wine64: the version, a read of the
# virtual card as JSON, and a seal read from the DEMO card's picture.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(realpath "${1:-dist}")
export WINEPREFIX=$(mktemp -d) WINEDEBUG=-all WINEARCH=win64
exe="$dir/cnie-reader-cli.exe"
# Debian's wine64 package puts the loader in /usr/lib/wine; "wine" (from
# the wine package) picks it too.
wine64=$(command -v wine64 || echo /usr/lib/wine/wine64)
[ -x "$wine64" ] || wine64=$(command -v wine)
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
trap '"$wineserver" -k 2>/dev/null || true; rm -rf "$WINEPREFIX"' EXIT
fail() { echo "wine-test: FAIL: $*" >&2; exit 1; }
# Wine 8 has no bcryptprimitives.dll, which Go's runtime needs (Windows 10+
# has it): give the throw-away prefix a shim built from wine-bcryptprimitives.c.
"$wine64" wineboot -i >/dev/null 2>&1 || true
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  packaging/windows/wine-bcryptprimitives.c -ladvapi32 -Wl,--export-all-symbols
"$wine64" "$exe" --version | tee /dev/stderr | grep -q "^CNIE Reader " || fail "--version"
"$wine64" "$exe" read --sim --json | tr -d '\r' | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["mrz"]["surname"] == "DEMO" and d["active_authentication"]["outcome"] == "passed", d
print("wine-test: read --sim --json: surname", d["mrz"]["surname"], "AA", d["active_authentication"]["outcome"])
' || fail "read --sim --json"
back="$WINEPREFIX/back.png"
"$wine64" "$exe" seal --demo-card "$back" >/dev/null || fail "seal --demo-card"
"$wine64" "$exe" seal "$back" --json --demo | tr -d '\r' | python3 -c '
import json, sys
d = json.load(sys.stdin)
sig = d.get("signature") or d.get("seal", {}).get("signature")
assert sig == "valid", d
print("wine-test: seal IMAGE --json: signature", sig)
' || fail "seal IMAGE --json"
# The installer: files, the cnie-reader:// handler, then a clean removal.
msi=$(ls "$dir"/cnie-reader_*_x64.msi | head -1)
"$wine64" msiexec /i "$msi" /qn || fail "msiexec /i"
installed="$WINEPREFIX/drive_c/Program Files/CNIE Reader"
[ -f "$installed/cnie-reader.exe" ] && [ -f "$installed/cnie-reader-cli.exe" ] || fail "files not installed"
"$wine64" reg query 'HKLM\Software\Classes\cnie-reader\shell\open\command' | tr -d '\r' | grep -q 'cnie-reader.exe" "%1"' \
  || fail "cnie-reader:// handler not registered"
"$wine64" "C:\\Program Files\\CNIE Reader\\cnie-reader-cli.exe" --version | grep -q "^CNIE Reader " || fail "installed --version"
echo "wine-test: $(basename "$msi") installs both executables and the cnie-reader:// handler"
"$wine64" msiexec /x "$msi" /qn || fail "msiexec /x"
[ ! -e "$installed" ] || fail "files left after removal"
! "$wine64" reg query 'HKLM\Software\Classes\cnie-reader' >/dev/null 2>&1 || fail "handler left after removal"
echo "wine-test: and removes them cleanly"
echo "wine-test: the Windows command line works under wine64"
