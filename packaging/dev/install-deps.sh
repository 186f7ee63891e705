#!/usr/bin/env bash
# Installs what building, running and testing CNIE Reader needs on Debian 12
# (or Ubuntu), only what is missing. Works as root or through sudo.
set -euo pipefail

# System packages: PC/SC (pcscd, its headers for cgo, the CCID driver for USB
# readers), vsmartcard's virtual reader for the tests through pcscd, and what
# Fyne needs to build the GUI; Chromium for the end-to-end test of the online
# journey (a real browser on the demo service); the tools that build and check
# the .deb (icons, lintian, AppStream and desktop validators); redis-server,
# of which the store's tests start their own instances (internal/redistest);
# Xvfb, xdotool and ImageMagick for `make walk` (tools/walk).
packages=(pcscd libpcsclite-dev libccid vsmartcard-vpcd pcsc-tools
          gcc pkg-config libgl1-mesa-dev xorg-dev
          chromium redis-server
          librsvg2-bin lintian appstream desktop-file-utils man-db xz-utils
          xvfb xdotool imagemagick curl)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "install-deps: need root (or sudo) to run: $*" >&2; exit 1
  fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  # pcscd reads its reader list (including vpcd's) only when it starts.
  if [[ " ${missing[*]} " == *" vsmartcard-vpcd "* ]] && pgrep -x pcscd >/dev/null; then
    as_root pkill -x pcscd || true
  fi
  # The tests need the binary, not Debian's system service on port 6379:
  # stop and disable the service the package just enabled.
  if [[ " ${missing[*]} " == *" redis-server "* ]] && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now redis-server.service >/dev/null 2>&1 || true
  fi
fi

# Node.js and npm: the end-to-end test of an OpenID Connect service written
# with the npm openid-client library (e2e/oidc_node_test.go, `npm ci` from
# e2e/node). Checked by command, not by package: Node.js from elsewhere
# (NodeSource) ships its own npm, which Debian's npm package conflicts with.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-deps: installing nodejs and npm"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi

# Go: the module needs the version named in go.mod. A Go >= 1.21 fetches it
# by itself (GOTOOLCHAIN=auto); Debian 12's own golang-go (1.19) cannot, so
# take the newer one from bookworm-backports.
if ! command -v go >/dev/null && [ ! -x /usr/local/go/bin/go ]; then
  echo "install-deps: installing Go"
  if ! apt-cache policy golang-1.23-go 2>/dev/null | grep -q Candidate:.*[0-9]; then
    echo "deb http://deb.debian.org/debian bookworm-backports main" | as_root tee /etc/apt/sources.list.d/backports.list >/dev/null
    as_root apt-get update -qq
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports golang-1.23-go
  as_root ln -sf /usr/lib/go-1.23/bin/go /usr/local/bin/go
fi
