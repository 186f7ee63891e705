#!/usr/bin/env bash
# Builds dist/cnie-reader_<version>_<arch>.deb with dpkg-deb, reproducibly:
# the same commit gives byte-identical files (fixed SOURCE_DATE_EPOCH from
# the commit, -trimpath, no host paths, sorted tar entries, root:root,
# gzip -n). Usage: build-deb.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-dist}
mkdir -p "$out"
export PATH="$PATH:/usr/local/go/bin"

version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
arch=$(dpkg --print-architecture)
id=io.github.cnie_reader.CNIEReader
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 1764028800)}
export TZ=UTC LC_ALL=C.UTF-8

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
mkdir -p "$root"/DEBIAN "$root"/usr/bin "$root"/usr/share/{applications,metainfo,man/man1,doc/cnie-reader} \
  "$root"/usr/share/icons/hicolor/scalable/apps

# The binary: position-independent, stripped, no host paths, stamped with
# the version and the commit (from the build info).
CGO_ENABLED=1 go build -trimpath -buildvcs=true -buildmode=pie \
  -ldflags "-s -w -X github.com/cnie-reader/cnie-reader/internal/version.version=$version -X github.com/cnie-reader/cnie-reader/internal/version.commit=$(git rev-parse HEAD 2>/dev/null)" \
  -o "$root/usr/bin/cnie-reader" .

install -m 0644 packaging/linux/$id.desktop "$root/usr/share/applications/$id.desktop"
install -m 0644 packaging/linux/$id.metainfo.xml "$root/usr/share/metainfo/$id.metainfo.xml"
install -m 0644 assets/icon.svg "$root/usr/share/icons/hicolor/scalable/apps/$id.svg"
for size in 16 24 32 48 64 128 256 512; do
  d="$root/usr/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$d"
  rsvg-convert -w $size -h $size assets/icon.svg -o "$d/$id.png"
done
# The manual page comes from the program's own help.
"$root/usr/bin/cnie-reader" help --man 2>/dev/null | gzip -9n > "$root/usr/share/man/man1/cnie-reader.1.gz"
install -m 0644 packaging/linux/copyright "$root/usr/share/doc/cnie-reader/copyright"
mkdir -p "$root/usr/share/lintian/overrides"
install -m 0644 packaging/linux/lintian-overrides "$root/usr/share/lintian/overrides/cnie-reader"
sed "s/@VERSION@/$version/; s/@DATE@/$(date -u -d @"$SOURCE_DATE_EPOCH" -R)/" packaging/linux/changelog \
  | gzip -9n > "$root/usr/share/doc/cnie-reader/changelog.gz"

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed "s/@VERSION@/$version/; s/@ARCH@/$arch/; s/@SIZE@/$size/" packaging/linux/control > "$root/DEBIAN/control"

# Same modes and times whatever the umask and the checkout time.
find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f -exec chmod 0644 {} +
chmod 0755 "$root/usr/bin/cnie-reader"
find "$root" -exec touch -h -d @"$SOURCE_DATE_EPOCH" {} +

deb="$out/cnie-reader_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
