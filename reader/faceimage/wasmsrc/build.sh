#!/usr/bin/env bash
# Rebuilds ../openjpeg.wasm: OpenJPEG (Debian bookworm's openjpeg2 source,
# with Debian's security patches) plus glue.c, compiled for wasm32-wasi.
#
# Not part of the normal build or CI: the .wasm is committed. Run it (as root
# on Debian 12) only to update OpenJPEG, then commit the new .wasm and the
# ../OPENJPEG_VERSION it rewrites (version and SHA-256).
#
# Needs: clang lld wasi-libc libclang-rt-14-dev-wasm32 dpkg-dev (apt-get).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/.." && pwd)/openjpeg.wasm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Fetch the source package through apt with a private list, so that the
# machine's own apt configuration is left alone.
mkdir -p "$work/apt/parts" "$work/apt/lists/partial"
cat >"$work/apt/parts/src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/apt/parts"
	-o "Dir::State::Lists=$work/apt/lists")
apt-get "${apt_opts[@]}" update -qq
(cd "$work" && apt-get "${apt_opts[@]}" source --download-only openjpeg2 >/dev/null)
dsc=$(ls "$work"/openjpeg2_*.dsc)
dpkg-source -x "$dsc" "$work/src" >/dev/null
version=$(basename "$dsc" .dsc | sed 's/^openjpeg2_//')
lib="$work/src/src/lib/openjp2"

# The two headers that CMake would generate, for a 32-bit little-endian
# target without threads.
cat >"$lib/opj_config.h" <<'EOF'
#define OPJ_HAVE_STDINT_H 1
#define OPJ_VERSION_MAJOR 2
#define OPJ_VERSION_MINOR 5
#define OPJ_VERSION_BUILD 0
EOF
cat >"$lib/opj_config_private.h" <<EOF
#define OPJ_HAVE_INTTYPES_H 1
#define OPJ_PACKAGE_VERSION "$version"
#define OPJ_HAVE_POSIX_MEMALIGN 1
#define _POSIX_C_SOURCE 200112L
EOF

# opj_clock.c is left out: only the DWT benchmark uses it, and WASI has no
# process clocks.
srcs=(thread bio cio dwt event ht_dec image invert j2k jp2 mct mqc openjpeg pi t1 t2 tcd tgt
	function_list opj_malloc sparse_array)
files=()
for s in "${srcs[@]}"; do files+=("$lib/$s.c"); done

# Reactor model: no main, the host calls _initialize then the exports.
# -O3 -msimd128 decode a passport face in about 23 ms under wazero against
# 29 ms at -O2; no -ffast-math, so pixels stay identical to native OpenJPEG.
# 1 MiB of stack is plenty: OpenJPEG does not recurse deeply.
clang --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi \
	-L/usr/lib/wasm32-wasi -O3 -msimd128 -DOPJ_STATIC -DNDEBUG -fno-strict-aliasing \
	-mexec-model=reactor -Wl,--strip-all -Wl,-z,stack-size=1048576 \
	-I"$lib" "${files[@]}" "$here/glue.c" -o "$out"
# The build is reproducible: the same source and toolchain give the same
# bytes, which a test checks against this file.
printf 'openjpeg2 %s\nsha256 %s\n' "$version" "$(sha256sum "$out" | cut -d' ' -f1)" >"$(dirname "$out")/OPENJPEG_VERSION"
echo "wrote $out ($(stat -c %s "$out") bytes) from openjpeg2 $version"
