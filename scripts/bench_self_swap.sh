#!/bin/sh
# What the one-shot pipeline alone costs: each talking head swapped with its own first frame as the photo, scored
# against itself. The face is the target's own, in the target's own light, so every figure's distance from perfect
# (mouth gain 1, no seam, no colour excess, no detail lost) is the pipeline's: warping, evening, relighting, merge.
# One JSON line per clip from `facelive score`; outputs go to $OUT (default /tmp/facelive-self-swap).
#
#   scripts/bench_self_swap.sh NAME [facelive run options…]
#   scripts/bench_self_swap.sh head
#   scripts/bench_self_swap.sh norelight --relight 0
set -eu
name=$1; shift
bin=${FACELIVE:-.build-release/release/facelive}
media=${MEDIA:-../shared/media}
out=${OUT:-/tmp/facelive-self-swap}
frames=${FRAMES:-90}
mkdir -p "$out"
for clip in "$media"/video/talk_*.mp4; do
    base=$(basename "$clip" .mp4)
    ffmpeg -v error -y -i "$clip" -frames:v 1 "$out/$base.frame0.png"
    "$bin" run -i "$clip" -o "$out/$base.$name.mp4" --face "$out/$base.frame0.png" --crf 12 --max-frames "$frames" \
        --no-tag "$@" >/dev/null 2>&1 || { echo "{\"input\": \"$base\", \"error\": \"run failed\"}"; continue; }
    printf '{"input": "%s", "score": %s}\n' "$base" \
        "$("$bin" score -i "$out/$base.$name.mp4" --reference "$clip" --max-frames "$frames" --json)"
done
