#!/usr/bin/env bash
# Live figures: a 720p30 clip played as a camera → facelive run (one face, one-shot swap) → mpegts.
#  (a) in-process camera: `bench --realtime` paces the file at 30 fps, output encoded to mpegts over UDP loopback;
#  (b) camera in a second process: facelive plays the clip in real time as mpegts over UDP; bench reads it live.
# Usage: scripts/bench_live.sh [clip] [seconds]     (release build; ../shared/media)
set -euo pipefail
cd "$(dirname "$0")/.."
clip=${1:-../shared/media/video/headturn_720p_s32.mp4}
seconds=${2:-6}
swift build -c release --product facelive >/dev/null
bin=.build/release/facelive
echo "(a) bench --realtime, in-process camera"
$bin bench -i "$clip" --realtime --duration "$seconds" -o "udp://127.0.0.1:5600?pkt_size=1316" -f mpegts \
    --json /tmp/facelive-live-a.json
echo
echo "(b) camera in a second process over UDP"
$bin convert -i "$clip" --realtime -o "udp://127.0.0.1:5602?pkt_size=1316" -f mpegts --preset ultrafast --gop 15 &
camera=$!
sleep 0.3
$bin bench -i "udp://127.0.0.1:5602" --duration "$seconds" -o "udp://127.0.0.1:5604?pkt_size=1316" -f mpegts \
    --json /tmp/facelive-live-b.json
wait $camera || true
