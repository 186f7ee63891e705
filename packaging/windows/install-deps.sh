#!/usr/bin/env bash
# What the Windows cross-build needs on Debian: mingw-w64 (cgo for Fyne),
# windres (in its binutils), icoutils (the .ico), msitools (wixl, the MSI)
# and wine64 (to run the command line in tests). Only what is missing.
set -euo pipefail
packages=(gcc-mingw-w64-x86-64 icoutils msitools wixl wine64 librsvg2-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
sudo_ apt-get update -qq
sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
