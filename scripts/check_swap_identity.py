#!/usr/bin/env python3
"""Whose face is in a swapped clip, and do its lips still move like the target's? (issue 16, item 5)

An independent check with dlib's face recogniser (ResNet, 128-D embeddings) and 68-point landmarks, never a
dependency of facelive. For every sampled frame of the swapped clip it embeds the face and calls it the source's or
the target's, whichever reference embedding is nearer (mean of frames spread through each person's own clip), and
also counts frames within dlib's usual same-person distance (0.6) of each. Mouth motion: the inner-lip opening
(mean of three upper/lower inner-lip gaps over the outer-eye-corner distance) is measured on the swapped clip and
on the target clip at the same frames and face box; the report gives their correlation and the ratio of their
standard deviations (1 = the output's lips move as much as the target's).

  python3 -m venv /work/venv-NAME && /work/venv-NAME/bin/pip install dlib-bin face-recognition-models numpy
  /work/venv-NAME/bin/python scripts/check_swap_identity.py --source src.mp4 --target dst.mp4 --swapped out.mp4

The face box comes from dlib's HOG detector on the *target* frame (the swap keeps the face where it was), so a
blurred output face is still measured rather than skipped. Frames where the target has no face are left out.
"""
import argparse, json, subprocess, sys

import numpy as np


def video_size(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height", "-of", "csv=p=0", path], capture_output=True, text=True, check=True)
    w, h = out.stdout.strip().split(",")[:2]
    return int(w), int(h)


def frames(path, every=1, limit=None):
    """RGB frames (index, HxWx3 uint8) of a video, every `every`-th one."""
    w, h = video_size(path)
    proc = subprocess.Popen(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    size, index = w * h * 3, 0
    try:
        while limit is None or index < limit:
            buf = proc.stdout.read(size)
            if len(buf) < size:
                break
            if index % every == 0:
                yield index, np.frombuffer(buf, np.uint8).reshape(h, w, 3)
            index += 1
    finally:
        proc.stdout.close()
        proc.wait()


def frame_count(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0", "-show_entries",
                          "stream=nb_read_packets", "-of", "csv=p=0", path], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().split(",")[0])


class Dlib:
    def __init__(self):
        import dlib, face_recognition_models as m
        self.detector = dlib.get_frontal_face_detector()
        self.shapes = dlib.shape_predictor(m.pose_predictor_model_location())
        self.recogniser = dlib.face_recognition_model_v1(m.face_recognition_model_location())
        self.dlib = dlib

    def largest_face(self, image):
        boxes = self.detector(image, 1)
        return max(boxes, key=lambda r: r.area()) if len(boxes) else None

    def describe(self, image, box):
        """(128-D embedding, inner-lip opening) of the face in `box`."""
        shape = self.shapes(image, box)
        embedding = np.array(self.recogniser.compute_face_descriptor(image, shape, 1))
        p = np.array([[shape.part(i).x, shape.part(i).y] for i in range(68)], np.float64)
        gap = np.mean([np.linalg.norm(p[a] - p[b]) for a, b in ((61, 67), (62, 66), (63, 65))])
        eyes = np.linalg.norm(p[36] - p[45])
        return embedding, gap / max(eyes, 1e-6)


def reference(dl, path, samples):
    """Mean embedding of up to `samples` frames spread through a clip of one person."""
    every = max(1, frame_count(path) // samples)
    embeddings = []
    for _, image in frames(path, every):
        box = dl.largest_face(image)
        if box is not None:
            embeddings.append(dl.describe(image, box)[0])
    if not embeddings:
        sys.exit(f"no face found in {path}")
    return np.mean(embeddings, axis=0), len(embeddings)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", required=True, help="clip of the person painted in (reference embedding)")
    ap.add_argument("--target", required=True, help="clip whose face was replaced (reference, boxes, lip motion)")
    ap.add_argument("--swapped", required=True, help="the swapped clip (same frames as --target)")
    ap.add_argument("--every", type=int, default=2, help="use every N-th frame (default 2)")
    ap.add_argument("--reference-frames", type=int, default=30, help="frames per reference embedding (default 30)")
    ap.add_argument("--tolerance", type=float, default=0.6, help="same-person distance (dlib's usual 0.6)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    a = ap.parse_args()
    if a.every < 1 or a.reference_frames < 1 or not (0 < a.tolerance < 2):
        sys.exit("--every and --reference-frames must be ≥ 1, --tolerance in (0, 2)")

    dl = Dlib()
    ref_src, n_src = reference(dl, a.source, a.reference_frames)
    ref_dst, n_dst = reference(dl, a.target, a.reference_frames)

    d_src, d_dst, lips_out, lips_in = [], [], [], []
    swapped = frames(a.swapped, a.every)
    for (i, target), (j, output) in zip(frames(a.target, a.every), swapped):
        assert i == j
        if target.shape != output.shape:
            sys.exit(f"frame sizes differ: target {target.shape}, swapped {output.shape}")
        box = dl.largest_face(target)
        if box is None:
            continue
        emb, lip_out = dl.describe(output, box)
        lip_in = dl.describe(target, box)[1]
        d_src.append(np.linalg.norm(emb - ref_src))
        d_dst.append(np.linalg.norm(emb - ref_dst))
        lips_out.append(lip_out)
        lips_in.append(lip_in)
    if not d_src:
        sys.exit("no faces found in the target clip")
    d_src, d_dst = np.array(d_src), np.array(d_dst)
    lips_out, lips_in = np.array(lips_out), np.array(lips_in)
    corr = float(np.corrcoef(lips_out, lips_in)[0, 1]) if lips_out.std() > 0 and lips_in.std() > 0 else 0.0
    report = {
        "frames": int(len(d_src)),
        "reference_frames": {"source": n_src, "target": n_dst},
        "reference_distance": float(np.linalg.norm(ref_src - ref_dst)),
        "share_nearer_source": float(np.mean(d_src < d_dst)),
        "share_nearer_target": float(np.mean(d_dst <= d_src)),
        "share_within_tolerance_source": float(np.mean(d_src < a.tolerance)),
        "share_within_tolerance_target": float(np.mean(d_dst < a.tolerance)),
        "mean_distance_source": float(d_src.mean()),
        "mean_distance_target": float(d_dst.mean()),
        "lip_correlation": corr,
        "lip_motion_ratio": float(lips_out.std() / max(lips_in.std(), 1e-9)),
        "lip_opening_mean": {"swapped": float(lips_out.mean()), "target": float(lips_in.mean())},
    }
    if a.json:
        print(json.dumps(report))
        return
    print(f"{report['frames']} frames (every {a.every}); references: {n_src} source / {n_dst} target frames, "
          f"{report['reference_distance']:.3f} apart")
    print(f"nearer source {report['share_nearer_source']:.3f}  nearer target {report['share_nearer_target']:.3f}  "
          f"(within {a.tolerance}: source {report['share_within_tolerance_source']:.3f}, "
          f"target {report['share_within_tolerance_target']:.3f})")
    print(f"mean distance to source {report['mean_distance_source']:.3f}, to target {report['mean_distance_target']:.3f}")
    print(f"lip opening: correlation with target {corr:.3f}, motion ratio {report['lip_motion_ratio']:.3f} "
          f"(mean {lips_out.mean():.3f} vs {lips_in.mean():.3f})")


if __name__ == "__main__":
    main()
