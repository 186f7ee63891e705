#!/usr/bin/env bash
# Start-up: time from launch to the home screen visible, and resident memory
# (VmRSS) once home shows and after a DEMO read. Runs N times (default 5) on
# its own Xvfb and prints each run and the medians.
# Usage: tools/walk/startup.sh [N]   (WALK_BIN: a built binary to measure)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-5}
DISP=${WALK_STARTUP_DISPLAY:-:96}
BIN=${WALK_BIN:-$(mktemp -d)/cnie-reader}
[ -x "$BIN" ] || go build -o "$BIN" .
TMP=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT
export DISPLAY=$DISP
Xvfb "$DISP" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
import -window root "$TMP/empty.png"

# A running window holds the intake's port, and a second launch only brings
# that window forward and exits (app/gui/instance.go): each run gets its own
# loopback when it can (a network namespace, as root), so a window open
# elsewhere on this machine does not spoil the measure.
isolate=()
if [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null && command -v ip >/dev/null; then
  isolate=(unshare --net sh -c 'ip link set lo up && exec "$0" "$@"')
elif (exec 3<>/dev/tcp/127.0.0.1/24780) 2>/dev/null; then
  echo "startup: another cnie-reader window holds port 24780: close it, or run as root" >&2
  exit 1
fi

rss() { awk '/^VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
changed() { local d; d=$(compare -metric AE "$TMP/empty.png" "$TMP/now.png" null: 2>&1 || true); [ "${d%%.*}" -gt 20000 ] 2>/dev/null; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

printf '%-4s %10s %10s %12s %12s\n' run window_ms home_ms rss_home_MB rss_read_MB
for i in $(seq "$N"); do
  home=$(mktemp -d -p "$TMP")
  t0=$(date +%s%N)
  HOME=$home LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 "${isolate[@]}" "$BIN" >/dev/null 2>&1 &
  app=$!; pids+=("$app")
  # This run's window (a previous run's may still be closing).
  win=$(xdotool search --sync --all --pid "$app" --name 'CNIE Reader' | head -1)
  t1=$(date +%s%N)
  # Home is drawn when most of the screen differs from the empty one.
  until import -window root "$TMP/now.png" 2>/dev/null && changed; do sleep 0.02; done
  t2=$(date +%s%N)
  sleep 1; r1=$(rss "$app")
  # A DEMO read, by keyboard (see walk.sh's citizen journey).
  xdotool windowfocus --sync "$win"
  xdotool key --delay 150 Return Tab Tab Return; sleep 1
  xdotool type --delay 60 123456; xdotool key Return; sleep 1; xdotool key space; sleep 4
  r2=$(rss "$app")
  kill "$app"; wait "$app" 2>/dev/null || true
  echo "$(( (t1 - t0) / 1000000 )) $(( (t2 - t0) / 1000000 )) $r1 $r2" >>"$TMP/runs"
  printf '%-4s %10s %10s %12s %12s\n' "$i" $(tail -1 "$TMP/runs")
done
printf '%-4s %10s %10s %12s %12s\n' median \
  "$(cut -d' ' -f1 "$TMP/runs" | median)" "$(cut -d' ' -f2 "$TMP/runs" | median)" \
  "$(cut -d' ' -f3 "$TMP/runs" | median)" "$(cut -d' ' -f4 "$TMP/runs" | median)"
