#!/usr/bin/env python3
"""Lays a real hand over the face of a clip, for benchmarks of hand occlusion (not a test fixture; nothing committed).

The hand is the back of a hand reaching for a glass in frame 120 of the shared sitcom clip, cut out with a colour key
(the same cut-out as Tests/LiveCLITests/HandOcclusionTests.swift); it is placed over the mouth and cheek of the first
face `facelive detect --json` found on each frame, at 0.9 face heights.

    pip install numpy opencv-python-headless
    facelive detect -i ../shared/media/video/headturn_720p_s32.mp4 --json faces.jsonl --no-hands
    python3 scripts/make_hand_composite.py --target ../shared/media/video/headturn_720p_s32.mp4 --faces faces.jsonl \\
        -o hand_720p.mp4
"""
import argparse
import json
import os
import subprocess

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITCOM = os.path.join(os.path.dirname(ROOT), "shared", "media", "video", "multiface_720p_sitcom.mp4")


def hand_cutout(path):
    capture = cv2.VideoCapture(path)
    for _ in range(121):
        ok, frame = capture.read()
        assert ok, f"cannot read frame 120 of {path}"
    crop = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)[330:520, 680:900].astype(int)
    r, g, b = crop[..., 0], crop[..., 1], crop[..., 2]
    key = ((r > 110) & (r > b + 25) & (r > g + 5)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(key, connectivity=4)
    mask = (labels == 1 + np.argmax(stats[1:, cv2.CC_STAT_AREA])).astype(np.uint8)
    background = 1 - mask
    n, labels, _, _ = cv2.connectedComponentsWithStats(background, connectivity=4)
    border = set(labels[0]) | set(labels[-1]) | set(labels[:, 0]) | set(labels[:, -1])
    mask[np.isin(labels, [k for k in range(1, n) if k not in border])] = 1
    return crop.astype(np.uint8), mask


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True)
    parser.add_argument("--faces", required=True, help="facelive detect --json output for the target")
    parser.add_argument("--hand-source", default=SITCOM)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    hand, mask = hand_cutout(args.hand_source)
    ys, xs = np.nonzero(mask)
    centre = np.array([xs.mean(), ys.mean()])
    faces = [json.loads(line)["faces"] for line in open(args.faces)]
    capture = cv2.VideoCapture(args.target)
    width, height = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
    fps = capture.get(cv2.CAP_PROP_FPS)
    encoder = subprocess.Popen(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s",
                                f"{width}x{height}", "-r", str(fps), "-i", "-", "-c:v", "libx264", "-crf", "12",
                                "-pix_fmt", "yuv420p", args.output], stdin=subprocess.PIPE)
    for index, found in enumerate(faces):
        ok, frame = capture.read()
        if not ok:
            break
        image = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
        if found:
            landmarks = np.array(found[0]["landmarks"])[:, :2]
            face_height = np.linalg.norm(landmarks[10] - landmarks[152])
            scale = 0.9 * face_height / hand.shape[0]
            h = cv2.resize(hand, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)
            m = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST).astype(bool)
            x, y = (landmarks[13] + 0.1 * face_height - centre * scale).round().astype(int)
            x0, y0 = max(x, 0), max(y, 0)
            x1, y1 = min(x + m.shape[1], width), min(y + m.shape[0], height)
            if x0 < x1 and y0 < y1:
                region = image[y0:y1, x0:x1]
                inside = m[y0 - y:y1 - y, x0 - x:x1 - x]
                region[inside] = h[y0 - y:y1 - y, x0 - x:x1 - x][inside]
        encoder.stdin.write(image.tobytes())
    encoder.stdin.close()
    encoder.wait()


if __name__ == "__main__":
    main()
