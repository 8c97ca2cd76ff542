#!/bin/sh
# Scores the one-shot swap (shipped astronaut face) on every shared clip and portrait with the given merge settings:
# one JSON line per input from `facelive score`. Outputs go to $OUT (default /tmp/facelive-quality).
#
#   scripts/bench_quality.sh NAME [facelive run options…]
#   scripts/bench_quality.sh before --relight 0 --blend alpha --keep-glasses off
#   scripts/bench_quality.sh after
set -eu
name=$1; shift
bin=${FACELIVE:-.build-release/release/facelive}
media=${MEDIA:-../shared/media}
out=${OUT:-/tmp/facelive-quality}
frames=${FRAMES:-120}
mkdir -p "$out"
for clip in "$media"/video/*.mp4; do
    base=$(basename "$clip" .mp4)
    "$bin" run -i "$clip" -o "$out/$base.$name.mp4" --crf 12 --max-frames "$frames" --no-tag "$@" >/dev/null 2>&1 || { echo "{\"input\": \"$base\", \"error\": \"run failed\"}"; continue; }
    printf '{"input": "%s", "score": %s}\n' "$base" "$("$bin" score -i "$out/$base.$name.mp4" --reference "$clip" --max-frames "$frames" --json)"
done
for still in "$media"/stills/portrait_*.jpg; do
    base=$(basename "$still" .jpg)
    "$bin" run -i "$still" -o "$out/$base.$name.png" --no-tag "$@" >/dev/null 2>&1 || { echo "{\"input\": \"$base\", \"error\": \"run failed\"}"; continue; }
    printf '{"input": "%s", "score": %s}\n' "$base" "$("$bin" score -i "$out/$base.$name.png" --reference "$still" --json)"
done
