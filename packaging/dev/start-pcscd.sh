#!/usr/bin/env bash
# Makes sure pcscd runs with vsmartcard's virtual reader loaded, for the
# tests that go through real PC/SC. Fails loudly: in CI a missing pcscd or
# vpcd is an error, not a reason to skip tests.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ ! -e /etc/reader.conf.d/vpcd ]; then
  echo "start-pcscd: vsmartcard-vpcd is not installed (run packaging/dev/install-deps.sh)" >&2
  exit 1
fi
vpcd_listening() { (exec 3<>/dev/tcp/127.0.0.1/35963) 2>/dev/null; }

if ! pgrep -x pcscd >/dev/null; then
  if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
    as_root systemctl start pcscd.socket pcscd.service || as_root pcscd
  else
    as_root pcscd
  fi
fi
for _ in $(seq 1 50); do
  vpcd_listening && exit 0
  sleep 0.1
done
# pcscd runs but vpcd does not listen: it started before vpcd was installed.
echo "start-pcscd: restarting pcscd so that it loads the vpcd reader"
as_root pkill -x pcscd || true
sleep 0.5
as_root pcscd
for _ in $(seq 1 50); do
  vpcd_listening && exit 0
  sleep 0.1
done
echo "start-pcscd: pcscd is running but vpcd does not listen on 127.0.0.1:35963" >&2
exit 1
