#!/usr/bin/env python3
"""How much of the target's glasses survive a swap: the share of the original's thin light lines (clear plastic and
metal frames catch the light) in the eye band that the swapped clips still hold. A one-off reference check with
NumPy and SciPy, never a dependency of facelive.

The eye band comes from facelive's own landmarks of the original (`facelive detect --json`): ±0.75 eye distances
along the line through the outer eye corners, ±0.45 across it. A line is the white top-hat of the luma (5 × 5
opening) where ≥ 0.04; per sampled frame the score is Σ min(top-hat of output, of original) ÷ Σ top-hat of original
over those pixels, then averaged. A swap that erases the frames keeps what of them lies outside the replaced region
and what the new face's own texture has there (≈ 0.3 on glasses_headturn_hands_d12); 1 would be every line kept.

    facelive detect -i ORIGINAL --json marks.jsonl --max-frames 150
    python3 scripts/check_glasses_kept.py ORIGINAL marks.jsonl SWAPPED.mp4 [SWAPPED2.mp4 …] [--frames 150] [--every 3]
"""
import argparse, json, subprocess
import numpy as np
from scipy import ndimage


def frames(path, n):
    size = subprocess.run(['ffprobe', '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height',
                           '-of', 'csv=p=0', path], capture_output=True, text=True, check=True).stdout
    w, h = map(int, size.strip().split(','))
    raw = subprocess.run(['ffmpeg', '-v', 'error', '-i', path, '-frames:v', str(n), '-f', 'rawvideo', '-pix_fmt', 'gray',
                          '-'], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w).astype(np.float32) / 255


def top_hat(luma):
    return luma - ndimage.grey_opening(luma, size=(5, 5))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('original')
    ap.add_argument('landmarks')
    ap.add_argument('swapped', nargs='+')
    ap.add_argument('--frames', type=int, default=90)
    ap.add_argument('--every', type=int, default=3)
    a = ap.parse_args()
    marks = {}
    for line in open(a.landmarks):
        j = json.loads(line)
        if j['faces']:
            marks[j['frame']] = np.array(j['faces'][0]['landmarks'])[:, :2]
    original = frames(a.original, a.frames)
    outputs = [frames(s, a.frames) for s in a.swapped]
    scores = [[] for _ in outputs]
    for f in range(0, min(len(original), *(len(o) for o in outputs)), a.every):
        if f not in marks:
            continue
        p = marks[f]
        right, left = p[33], p[263]
        d = np.linalg.norm(left - right)
        u = (left - right) / d
        v = np.array([-u[1], u[0]])
        c = (left + right) / 2
        yy, xx = np.mgrid[:original.shape[1], :original.shape[2]]
        q = np.stack([xx - c[0], yy - c[1]], -1)
        band = (np.abs(q @ u / d) < 0.75) & (np.abs(q @ v / d) < 0.45)
        reference = top_hat(original[f])
        lines = band & (reference >= 0.04)
        total = max(reference[lines].sum(), 1e-6)
        for k, out in enumerate(outputs):
            scores[k].append(np.minimum(top_hat(out[f])[lines], reference[lines]).sum() / total)
    for path, s in zip(a.swapped, scores):
        print(json.dumps({'swapped': path, 'frames_scored': len(s), 'light_lines_kept': round(float(np.mean(s)), 3)}))


if __name__ == '__main__':
    main()
