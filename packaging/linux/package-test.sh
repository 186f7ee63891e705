#!/usr/bin/env bash
# The .deb as a user gets it: built twice from this commit (byte-identical,
# or the build is not reproducible), checked by lintian and the desktop and
# AppStream validators, installed with apt, run, and removed cleanly.
# Needs root (apt). Called by `make package-test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."
id=io.github.cnie_reader.CNIEReader
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }

one=$(mktemp -d) two=$(mktemp -d)
trap 'rm -rf "$one" "$two"' EXIT
deb=$(packaging/linux/build-deb.sh "$one")
deb2=$(packaging/linux/build-deb.sh "$two")
a=$(sha256sum < "$deb" | cut -d' ' -f1) b=$(sha256sum < "$deb2" | cut -d' ' -f1)
echo "package-test: build 1 $a"
echo "package-test: build 2 $b"
[ "$a" = "$b" ] || fail "two builds of the same commit differ"
echo "package-test: $(basename "$deb"): $(stat -c %s "$deb") bytes, reproducible"

# lintian: errors fail; the warnings it prints are read in the CI log.
lintian --tag-display-limit 0 --fail-on error "$deb"

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$deb" >/dev/null || fail "apt could not install the package"
trap 'apt-get remove -y -qq cnie-reader >/dev/null 2>&1 || true; rm -rf "$one" "$two"' EXIT
command -v cnie-reader | grep -qx /usr/bin/cnie-reader || fail "cnie-reader is not /usr/bin/cnie-reader"
cnie-reader --version 2>/dev/null | tee /dev/stderr | grep -q "^CNIE Reader " || fail "--version"
cnie-reader read --sim --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["mrz"]["surname"] == "DEMO", d["mrz"]
assert d["active_authentication"]["outcome"] == "passed"
print("package-test: read --sim --json: surname", d["mrz"]["surname"], "AA", d["active_authentication"]["outcome"])
' || fail "read --sim --json"
desktop-file-validate /usr/share/applications/$id.desktop || fail "desktop file"
appstreamcli validate --no-net /usr/share/metainfo/$id.metainfo.xml || fail "metainfo"
man -l /usr/share/man/man1/cnie-reader.1.gz >/dev/null 2>&1 || zcat /usr/share/man/man1/cnie-reader.1.gz | grep -q '^.TH CNIE' || fail "man page"
for size in 16 24 32 48 64 128 256 512; do
  [ -s /usr/share/icons/hicolor/${size}x${size}/apps/$id.png ] || fail "icon ${size}"
done

apt-get remove -y -qq cnie-reader >/dev/null || fail "apt could not remove the package"
[ ! -e /usr/bin/cnie-reader ] || fail "/usr/bin/cnie-reader left after removal"
! dpkg -L cnie-reader >/dev/null 2>&1 || fail "dpkg still lists files"
echo "package-test: installed, ran, validated and removed cleanly"
