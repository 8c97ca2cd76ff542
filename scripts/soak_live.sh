#!/usr/bin/env bash
# Live soak: a clip looped forever, played like a camera (--realtime), face-swapped and sent as mpegts over UDP
# loopback for SECONDS. Samples facelive's RSS every 5 s; passes when RSS stays within 10 % of its level after
# start-up (the first minute) and no frame is dropped after the start-up burst (the first 2 s of frames).
# Usage: scripts/soak_live.sh [clip] [seconds]   (release build; BIN=path/to/facelive to use a given binary)
set -euo pipefail
cd "$(dirname "$0")/.."
clip=${1:-../shared/media/video/talk_may_5s.mp4}
seconds=${2:-600}
if [[ -z "${BIN:-}" ]]; then
    swift build -c release --scratch-path .build-release --product facelive >/dev/null
    BIN=.build-release/release/facelive
fi
out=${SOAK_DIR:-/tmp/facelive-soak}
mkdir -p "$out"
fps=$("$BIN" probe "$clip" --json | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["streams"][0]["frame_rate"]))')
frames=$((seconds * fps))
# movie=…:loop=0 replays the clip forever; setpts keeps time running on across loops (realtime paces by it).
"$BIN" run -i "lavfi:movie=$clip:loop=0,setpts=N/$fps/TB" --realtime --max-frames "$frames" \
    -o "udp://127.0.0.1:5610?pkt_size=1316" -f mpegts --json >"$out/report.json" 2>"$out/stderr.txt" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
echo "seconds,rss_mb" >"$out/rss.csv"
start=$(date +%s)
while kill -0 $pid 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || true)
    [[ -n "$rss" ]] && echo "$(( $(date +%s) - start )),$((rss / 1024))" >>"$out/rss.csv"
    sleep 5
done
wait $pid
trap - EXIT
python3 - "$out" "$fps" <<'PY'
import csv, json, statistics, sys
out, fps = sys.argv[1], int(sys.argv[2])
report = json.load(open(f"{out}/report.json"))
rows = [(int(r["seconds"]), int(r["rss_mb"])) for r in csv.DictReader(open(f"{out}/rss.csv")) if int(r["rss_mb"]) > 0]
settled = [rss for t, rss in rows if t >= 60] or [rss for _, rss in rows]
base = statistics.median(settled[:12])  # the first minute after start-up
peak, low = max(settled), min(settled)
allowance = 2 * fps
print(f"{report['frames']} frames written, {report['drops']} dropped (start-up allowance {allowance}), "
      f"{report['fps']:.1f} fps, latency p50 {report['latency_ms']['p50']:.1f} ms p99 {report['latency_ms']['p99']:.1f} ms")
print(f"RSS after start-up {base} MB, range {low}–{peak} MB over {rows[-1][0]} s ({(peak / base - 1) * 100:+.1f} % at most)")
ok = peak <= base * 1.10 and low >= base * 0.90 and report["drops"] <= allowance
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
