#!/usr/bin/env sh
# Renders the SVG illustrations to the PNGs the application shows (go
# generate ./assets/illustrations, or make illustrations): each at the sizes
# listed in sizes.txt, at 1x and 2x (HiDPI). The window draws the PNG made
# for the size on screen, decoded once, and never scales it: rasterising the
# SVGs at every layout pass was most of the start-up time. sources.sha256
# records what the PNGs were made from; a test fails when an SVG or
# sizes.txt changed without this step.
set -eu
cd "$(dirname "$0")"
rm -f ./*.png
grep -v '^#' sizes.txt | while read -r name w h; do
  for s in 1 2; do
    pw=$((w * s)) ph=$((h * s))
    rsvg-convert --width "$pw" --height "$ph" "$name.svg" --output "$name-${pw}x${ph}.png"
  done
done
sha256sum ./*.svg sizes.txt | sed 's|  \./|  |' > sources.sha256
