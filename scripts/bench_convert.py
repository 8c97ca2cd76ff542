#!/usr/bin/env python3
"""facelive convert vs the ffmpeg CLI doing the same transcode: libx264, same preset, crf, threads, audio copied.

Usage: scripts/bench_convert.py [--runs 5] [--preset veryfast] [--crf 18] [CLIP...]
Runs alternate (facelive, ffmpeg, facelive, ...) so changes in machine load hit both; prints wall-time medians and the
median of the per-pair ratios. Needs the ffmpeg CLI (apt-get install ffmpeg) and a release build.
"""
import argparse, os, statistics, subprocess, sys, tempfile, time

DEFAULT_CLIPS = ["../shared/media/video/headturn_720p_s32.mp4", "../shared/media/video/multiface_720p_sitcom.mp4"]


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--preset", default="veryfast")
    ap.add_argument("--crf", default="18")
    ap.add_argument("--threads", default="0")
    ap.add_argument("clips", nargs="*", default=DEFAULT_CLIPS)
    args = ap.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "facelive"], check=True, stdout=subprocess.DEVNULL)
    out = tempfile.mkdtemp()
    print("| clip | facelive median (s) | ffmpeg median (s) | ratio (median of pairs) |")
    print("|---|---|---|---|")
    for clip in args.clips:
        ours = [".build/release/facelive", "convert", "-i", clip, "-o", os.path.join(out, "f.mp4"),
                "--preset", args.preset, "--crf", args.crf, "--threads", args.threads]
        theirs = ["ffmpeg", "-nostdin", "-y", "-v", "error", "-threads", args.threads, "-i", clip, "-c:v", "libx264",
                  "-preset", args.preset, "-crf", args.crf, "-pix_fmt", "yuv420p", "-threads", args.threads,
                  "-c:a", "copy", os.path.join(out, "g.mp4")]
        timed(ours), timed(theirs)  # warm-up: file cache, page-ins
        pairs = [(timed(ours), timed(theirs)) for _ in range(args.runs)]
        f = statistics.median(p[0] for p in pairs)
        g = statistics.median(p[1] for p in pairs)
        r = statistics.median(p[0] / p[1] for p in pairs)
        print(f"| {os.path.basename(clip)} | {f:.2f} | {g:.2f} | {r:.3f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
