#!/usr/bin/env bash
# facelive convert vs the ffmpeg CLI doing the same transcode (libx264, same preset/crf/threads, audio copied).
# Usage: scripts/bench_convert.sh [runs]   (needs hyperfine, ffmpeg, ../shared/media; builds release first)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
preset=veryfast crf=18
swift build -c release --product facelive >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for clip in headturn_720p_s32.mp4 multiface_720p_sitcom.mp4; do
    in=../shared/media/video/$clip
    hyperfine --warmup 1 --runs "$runs" --export-json "$out/$clip.json" \
        -n facelive ".build/release/facelive convert -i $in -o $out/f.mp4 --preset $preset --crf $crf --threads 0" \
        -n ffmpeg "ffmpeg -nostdin -y -v error -threads 0 -i $in -c:v libx264 -preset $preset -crf $crf -pix_fmt yuv420p -threads 0 -c:a copy $out/g.mp4" \
        >/dev/null
    python3 - "$out/$clip.json" "$clip" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
f, g = r["facelive"]["median"], r["ffmpeg"]["median"]
print(f"{sys.argv[2]}: facelive {f:.2f} s, ffmpeg {g:.2f} s (medians of {len(r['ffmpeg']['times'])}), ratio {f/g:.3f}")
PY
done
