#!/usr/bin/env bash
# Cross-builds the Windows release on Linux: cnie-reader.exe (the window,
# no console) and cnie-reader-cli.exe (the command line), with the icon and
# the manifest, then the MSI installer with wixl. Fyne needs cgo, hence
# mingw-w64. Usage: build.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(realpath -m "${1:-dist}")
mkdir -p "$out"
export PATH="$PATH:/usr/local/go/bin"
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 1764028800)}

work=$(mktemp -d)
syso=rsrc_windows_amd64.syso
trap 'rm -rf "$work"; rm -f "$syso"' EXIT
# The icon at the sizes Windows asks for, then the resources as an object
# file that go build links in (a .syso beside main.go).
for s in 16 24 32 48 64 256; do rsvg-convert -w $s -h $s assets/icon.svg -o "$work/$s.png"; done
icotool -c -o "$work/cnie-reader.ico" "$work"/{16,24,32,48,64,256}.png
cp packaging/windows/cnie-reader.rc packaging/windows/cnie-reader.manifest "$work/"
x86_64-w64-mingw32-windres --input-format=rc -O coff -i "$work/cnie-reader.rc" -o "$syso"

ld="-s -w -X github.com/cnie-reader/cnie-reader/internal/version.version=$version -X github.com/cnie-reader/cnie-reader/internal/version.commit=$(git rev-parse HEAD 2>/dev/null)"
build() { # $1 output, $2 extra ldflags
  CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
    go build -trimpath -buildvcs=true -ldflags "$ld $2" -o "$1" .
}
build "$work/cnie-reader.exe" "-H windowsgui"
build "$work/cnie-reader-cli.exe" ""
sed "s/@VERSION@/$version/g" packaging/windows/cnie-reader.wxs > "$work/cnie-reader.wxs"
(cd "$work" && wixl -a x64 -o cnie-reader.msi cnie-reader.wxs)
cp "$work/cnie-reader.exe" "$work/cnie-reader-cli.exe" "$out/"
cp "$work/cnie-reader.msi" "$out/cnie-reader_${version}_x64.msi"
ls -l "$out"/cnie-reader.exe "$out"/cnie-reader-cli.exe "$out"/cnie-reader_${version}_x64.msi
