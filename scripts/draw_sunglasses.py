#!/usr/bin/env python3
"""Draws tinted lenses (or sunglasses), a frame, a bridge and temples on the face of every frame of a clip, from
facelive's own landmarks, for checking how the merge keeps them: no shared clip has sunglasses. A one-off test-media
tool with NumPy and Pillow, never a dependency of facelive.

    facelive detect -i CLIP.mp4 --json MARKS.jsonl --max-frames 60
    python3 scripts/draw_sunglasses.py CLIP.mp4 MARKS.jsonl OUT.mp4 [TRANSMISSION]   # 0.12 sunglasses, 0.45 tint

Each lens is an ellipse 0.30 × 0.22 eye distances round its eye (the eye distance: outer corner to outer corner),
a dark brown tint letting TRANSMISSION of the face through (default 0.12).
"""
import json
import subprocess
import sys

import numpy as np
from PIL import Image, ImageDraw

RIGHT_EYE = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246]
LEFT_EYE = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466]
TINT = np.array([40, 32, 28], np.float32)
FRAME = np.array([18, 16, 16], np.float32)


def size(path):
    out = subprocess.run(['ffprobe', '-v', 'error', '-select_streams', 'v:0', '-show_entries',
                          'stream=width,height', '-of', 'csv=p=0', path], capture_output=True, text=True, check=True)
    return tuple(map(int, out.stdout.strip().split(',')))


def draw(image, landmarks, transmission):
    """`image` (float RGB) with glasses drawn round the eyes of `landmarks` (468 × 2, pixels)."""
    h, w, _ = image.shape
    a, b = landmarks[33], landmarks[263]
    d = np.linalg.norm(b - a)
    u = (b - a) / d
    v = np.array([-u[1], u[0]])
    lens, frame = Image.new('L', (w, h), 0), Image.new('L', (w, h), 0)
    lens_draw, frame_draw = ImageDraw.Draw(lens), ImageDraw.Draw(frame)
    width = max(2, int(0.03 * d))
    centres = []
    for ring in (RIGHT_EYE, LEFT_EYE):
        c = landmarks[ring].mean(0) + 0.05 * d * v
        centres.append(c)
        outline = [tuple(c + 0.30 * d * np.cos(t) * u + 0.22 * d * np.sin(t) * v) for t in np.linspace(0, 2 * np.pi, 60)]
        lens_draw.polygon(outline, fill=255)
        frame_draw.line(outline + [outline[0]], fill=255, width=width)
    right, left = centres
    frame_draw.line([tuple(right + 0.30 * d * u - 0.08 * d * v), tuple(left - 0.30 * d * u - 0.08 * d * v)], fill=255, width=width)
    frame_draw.line([tuple(right - 0.30 * d * u), tuple(right - 0.55 * d * u - 0.02 * d * v)], fill=255, width=width)
    frame_draw.line([tuple(left + 0.30 * d * u), tuple(left + 0.55 * d * u - 0.02 * d * v)], fill=255, width=width)
    m = np.asarray(lens, np.float32)[..., None] / 255
    f = np.asarray(frame, np.float32)[..., None] / 255
    image = image * (1 - m) + m * (transmission * image + (1 - transmission) * TINT)
    return image * (1 - f) + f * FRAME


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    source, marks, out = sys.argv[1:4]
    transmission = float(sys.argv[4]) if len(sys.argv) == 5 else 0.12
    if not 0 <= transmission <= 1:
        sys.exit('draw_sunglasses: TRANSMISSION must be within 0…1')
    w, h = size(source)
    frames = [json.loads(line) for line in open(marks)]
    raw = subprocess.run(['ffmpeg', '-v', 'error', '-i', source, '-frames:v', str(len(frames)), '-f', 'rawvideo',
                          '-pix_fmt', 'rgb24', '-'], capture_output=True, check=True).stdout
    video = np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)
    encoder = subprocess.Popen(['ffmpeg', '-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', f'{w}x{h}',
                                '-r', '25', '-i', '-', '-c:v', 'libx264', '-crf', '12', '-pix_fmt', 'yuv420p', out],
                               stdin=subprocess.PIPE)
    for image, record in zip(video, frames):
        image = image.astype(np.float32)
        if record.get('faces'):
            image = draw(image, np.array(record['faces'][0]['landmarks'])[:, :2], transmission)
        encoder.stdin.write(np.clip(image, 0, 255).astype(np.uint8).tobytes())
    encoder.stdin.close()
    sys.exit(encoder.wait())


if __name__ == '__main__':
    main()
