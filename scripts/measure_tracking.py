#!/usr/bin/env python3
"""Landmark jitter and lag with smoothing off and on, and track-ID switches, from `facelive detect --json`.

Usage: scripts/measure_tracking.py [--binary .build/release/facelive] CLIP [CLIP...]
Jitter = mean over frames and landmarks of |p(t+1) - 2 p(t) + p(t-1)| (frame-to-frame acceleration, px), on the
largest face, over runs of consecutive frames with a face. Lag = the shift (frames, sub-frame by parabola) that best
aligns the smoothed face centre track with the raw one. ID switches = faces overlapping (IoU > 0.5) a face of the
previous frame that had another ID.
"""
import argparse, json, subprocess, sys


def detect(binary, clip, extra):
    out = subprocess.run([binary, "detect", "-i", clip, "--json", "-", "--max-faces", "0"] + extra,
                         check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line]


def largest(frame):
    return max(frame["faces"], key=lambda f: f["box"][2] * f["box"][3]) if frame["faces"] else None


def jitter(frames):
    total, count = 0.0, 0
    faces = [largest(f) for f in frames]
    for a, b, c in zip(faces, faces[1:], faces[2:]):
        if not (a and b and c) or not (a["id"] == b["id"] == c["id"]):
            continue
        for p, q, r in zip(a["landmarks"], b["landmarks"], c["landmarks"]):
            total += ((r[0] - 2 * q[0] + p[0]) ** 2 + (r[1] - 2 * q[1] + p[1]) ** 2) ** 0.5
            count += 1
    return total / max(count, 1)


def centres(frames):
    out = []
    for f in frames:
        face = largest(f)
        if face is None:
            out.append(None)
        else:
            xs = [p[0] for p in face["landmarks"]]
            ys = [p[1] for p in face["landmarks"]]
            out.append((sum(xs) / len(xs), sum(ys) / len(ys)))
    return out


def lag(raw, smooth):
    def err(shift):
        e, n = 0.0, 0
        for t in range(max(shift, 0), len(raw)):
            a, b = smooth[t], raw[t - shift]
            if a and b:
                e += (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2
                n += 1
        return e / max(n, 1)
    errs = [err(s) for s in range(0, 6)]
    k = min(range(len(errs)), key=errs.__getitem__)
    if 0 < k < len(errs) - 1:
        d = errs[k - 1] - 2 * errs[k] + errs[k + 1]
        return k + (0.5 * (errs[k - 1] - errs[k + 1]) / d if d > 0 else 0)
    return float(k)


def iou(a, b):
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0


def id_switches(frames):
    switches = 0
    for prev, cur in zip(frames, frames[1:]):
        for f in cur["faces"]:
            if any(iou(f["box"], p["box"]) > 0.5 and p["id"] != f["id"] for p in prev["faces"]):
                switches += 1
    return switches


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/facelive")
    ap.add_argument("--max-frames", default="600")
    ap.add_argument("clips", nargs="+")
    args = ap.parse_args()
    print("| clip | frames | jitter off (px) | jitter on (px) | reduction | lag (frames) | ID switches | tracks |")
    print("|---|---|---|---|---|---|---|---|")
    for clip in args.clips:
        extra = ["--max-frames", args.max_frames]
        raw = detect(args.binary, clip, extra + ["--no-smoothing"])
        smooth = detect(args.binary, clip, extra)
        j0, j1 = jitter(raw), jitter(smooth)
        ids = {f["id"] for fr in smooth for f in fr["faces"]}
        print(f"| {clip.split('/')[-1]} | {len(smooth)} | {j0:.2f} | {j1:.2f} | {j0 / max(j1, 1e-9):.1f}× | "
              f"{lag(centres(raw), centres(smooth)):.2f} | {id_switches(smooth)} | {len(ids)} |")


if __name__ == "__main__":
    sys.exit(main())
