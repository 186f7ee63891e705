#!/usr/bin/env bash
# The walk: drives the real window under Xvfb through the four journeys
# (citizen, clerk, support, online) at 1024x768 and 1366x768, in French and
# English, and saves one screenshot per step as
#   $OUT/<res>-<lang>-<journey>-<nn>-<step>.png
# Usage: tools/walk/walk.sh [OUT] (default walk/). See tools/walk/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

OUT=${1:-${WALK_OUT:-walk}}
DISP=${WALK_DISPLAY:-:97}
BIN=${WALK_BIN:-$(mktemp -d)/cnie-reader}
RESOLUTIONS=${WALK_RES:-"1024x768 1366x768"}
LANGS=${WALK_LANGS:-"fr en"}
JOURNEYS=${WALK_JOURNEYS:-"citizen clerk support online"}
DEMO_PORT=${WALK_DEMO_PORT:-18089}

for tool in Xvfb xdotool import curl; do
  command -v "$tool" >/dev/null || { echo "walk: $tool is missing (make deps installs it)" >&2; exit 1; }
done
mkdir -p "$OUT"
[ -x "$BIN" ] || go build -o "$BIN" .
TMP=$(mktemp -d)
"$BIN" seal --demo-card "$TMP/back.png" >/dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT
export DISPLAY=$DISP

# --- waiting without fixed sleeps: compare screenshots ----------------------
# A change is more than 400 pixels (a blinking text cursor is fewer).
grab() { import -window root "$TMP/$1.miff" 2>/dev/null; }
differs() { local d; d=$(compare -metric AE "$TMP/$1.miff" "$TMP/$2.miff" null: 2>&1 || true); [ "${d%%.*}" -gt 400 ] 2>/dev/null; }
snapshot() { grab before; echo before; }
# settle: waits until the screen differs from the "before" grab (at most 4 s:
# some keys change nothing), then until it is steady.
settle() {
  local t=0
  [ "$1" = before ] || grab before
  while grab now; ! differs before now && [ $t -lt 40 ]; do sleep 0.1; t=$((t + 1)); done
  steady
}
# steady: waits until three frames 0.2 s apart are the same (at most 12 s).
steady() {
  local same=0
  grab now
  for _ in $(seq 60); do
    sleep 0.2; cp "$TMP/now.miff" "$TMP/prev.miff"; grab now
    if differs prev now; then same=0; else same=$((same + 1)); [ $same -ge 2 ] && return 0; fi
  done
}
# key K1 K2 … KN: presses each key; waits for the screen after the last one.
key() {
  local b
  while [ $# -gt 1 ]; do xdotool key "$1"; sleep 0.2; shift; done
  b=$(snapshot); xdotool key "$1"; settle "$b"
}
typ() { local b; b=$(snapshot); xdotool type --delay 60 "$@"; settle "$b"; }
# click DX DY: a click at an offset from the window's centre (dialogs are centred).
click() {
  local b x y; b=$(snapshot)
  eval "$(xdotool getwindowgeometry --shell "$WIN")"
  x=$((X + WIDTH / 2 + $1)); y=$((Y + HEIGHT / 2 + $2))
  xdotool mousemove "$x" "$y" click 1; settle "$b"
}
n=0
shot() { n=$((n + 1)); import -window root "$OUT/$PREFIX-$(printf %02d $n)-$1.png"; echo "  $PREFIX-$(printf %02d $n)-$1"; }
# click_tl DX DY: a click at an offset from the window's top-left corner.
click_tl() {
  local b; b=$(snapshot)
  eval "$(xdotool getwindowgeometry --shell "$WIN")"
  xdotool mousemove $((X + $1)) $((Y + $2)) click 1; settle "$b"
}
# click_br DX DY: a click at an offset from the window's bottom-right corner.
click_br() {
  local b; b=$(snapshot)
  eval "$(xdotool getwindowgeometry --shell "$WIN")"
  xdotool mousemove $((X + WIDTH + $1)) $((Y + HEIGHT + $2)) click 1; settle "$b"
}
# click_dialog FX FY DX DY: a click in a file dialog, which takes 80 % of the
# window, centred: at the fraction FX, FY of the dialog plus DX, DY pixels.
click_dialog() {
  local b x y; b=$(snapshot)
  eval "$(xdotool getwindowgeometry --shell "$WIN")"
  x=$(awk -v X="$X" -v W="$WIDTH" -v f="$1" -v d="$3" 'BEGIN { printf "%d", X + W * (0.1 + 0.8 * f) + d }')
  y=$(awk -v Y="$Y" -v H="$HEIGHT" -v f="$2" -v d="$4" 'BEGIN { printf "%d", Y + H * (0.1 + 0.8 * f) + d }')
  xdotool mousemove "$x" "$y" click 1; settle "$b"
}
winwidth() { eval "$(xdotool getwindowgeometry --shell "$WIN")"; echo "$WIDTH"; }

app=
start_app() {
  local home="$TMP/home-$PREFIX"
  grab before                                    # the empty screen
  rm -rf "$home"; mkdir -p "$home"; cp "$TMP/back.png" "$home/back.png"
  HOME=$home LANG=$LOCALE LC_ALL=$LOCALE LANGUAGE= "$BIN" >"$TMP/app.log" 2>&1 &
  app=$!; pids+=("$app")
  WIN=$(xdotool search --sync --name 'CNIE Reader' | head -1)
  settle before; steady; xdotool windowfocus --sync "$WIN"
  n=0; shot home
}
stop_app() { kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; }

# --- the journeys ------------------------------------------------------------
citizen() {
  key Return; shot reader                        # "Read my card" has the focus
  key Tab Tab Return; shot can                   # "Use the demonstration card"
  typ 123456; shot can-typed
  key Return; shot lay-card
  xdotool key space; sleep 0.2; shot reading; settle x; shot result
  key Tab shift+Tab; shot result-focus           # the last action: Finish
  key space; shot finished
}

clerk() {
  key Tab Return; shot clerk                     # "Check a card"
  typ 123456; shot can-typed
  # The demo box, then the seal (a seal-only check), then the chip. Tab order
  # from the CAN field: Read, MRZ…, demo box, Next card, Camera, Open an
  # image…, then Home (last on every screen). The field (top left) is
  # clicked as a known start.
  key Tab Tab Tab space; shot demo-box
  key Tab Tab Tab; shot open-focus
  key space; shot file-dialog
  # back.png, the only image in HOME: the second item of the files, right of
  # the places (a quarter of the dialog); then "Open", bottom right.
  click_dialog 0.25 0 135 131; shot file-selected
  click_dialog 1 1 -41 -23; shot seal-only       # the seal's own verdict
  click_tl 118 68; key Tab space; sleep 0.2; shot reading; settle x; shot chip-and-seal
  echo "  window width after the read: $(winwidth)"
  key Tab Tab Tab Tab Tab Tab Tab Tab; shot tab-8-after-read  # where the focus is
  click_tl 118 68; key Tab Tab Tab Tab; shot next-card-focus
  key space; shot next-card
}

support() {
  key Tab Tab Return; shot support               # "Support"
  local i
  key Tab; shot self-test-focus                  # Diagnosis has the focus; then Self-test
  key space; shot self-test; settle x; shot self-test-done
}

online() {
  local port loc b
  for port in $(seq 24780 24789); do curl -s -m1 "http://127.0.0.1:$port/status" >/dev/null && break; done
  # The demo service sends browsers to port 24780; the app may have taken a
  # later one (24780 still held by the previous run): follow the app.
  # The browser speaks the walk's language: the service words its request in it.
  loc=$(curl -s -o /dev/null -w '%{redirect_url}' -H "Accept-Language: ${LOCALE%%_*}" -X POST "http://127.0.0.1:$DEMO_PORT/start")
  loc=${loc/127.0.0.1:24780\//127.0.0.1:$port/}
  b=$(snapshot)
  # As a browser's top-level navigation: the intake refuses anything else.
  curl -s -m 120 -H 'Sec-Fetch-Mode: navigate' -H 'Sec-Fetch-Dest: document' -H 'Sec-Fetch-Site: cross-site' \
    "$loc" >"$TMP/intake.out" 2>&1 &
  pids+=($!)
  settle "$b"; shot consent
  key Tab shift+Tab; shot consent-focus          # the last action: Continue
  key space; shot reader
  key Tab Tab Return; shot can
  typ 123456; key Return; shot lay-card
  xdotool key space; sleep 0.2; shot reading; settle x; shot review
  click_br -58 -72; settle x; shot sent          # "Send" (by mouse: Tab lands on Refuse)
}

# The demo service the online journey asks from (its page posts to /start).
"$BIN" demo-service --addr "127.0.0.1:$DEMO_PORT" >"$TMP/demo-service.log" 2>&1 &
pids+=($!)

for res in $RESOLUTIONS; do
  Xvfb "$DISP" -screen 0 "${res}x24" -nolisten tcp >"$TMP/xvfb.log" 2>&1 &
  xvfb=$!; pids+=("$xvfb")
  for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
  for lang in $LANGS; do
    case $lang in fr) LOCALE=fr_FR.UTF-8 ;; *) LOCALE=en_GB.UTF-8 ;; esac
    for journey in $JOURNEYS; do
      PREFIX="$res-$lang-$journey"; echo "$PREFIX"
      start_app; "$journey"; stop_app
    done
  done
  kill "$xvfb"; wait "$xvfb" 2>/dev/null || true
done
echo "walk: $(ls "$OUT"/*.png | wc -l) screenshots in $OUT/"
