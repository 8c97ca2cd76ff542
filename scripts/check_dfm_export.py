#!/usr/bin/env python3
"""Checks `facelive model MODEL --export out.dfm` against onnxruntime (offline only; facelive never runs Python).

For a facelive model (.safetensors) and an aligned face image: exports the model as a .dfm, runs onnxruntime on
it, and compares with facelive's own inference of the safetensors model (`facelive model --apply ... -o x.npy`):
the swapped face (BGR in the .dfm) and its mask must agree within 1e-4. Also runs the exported file through
facelive's own ONNX importer (`model out.dfm --apply`) for the same comparison.

    pip install onnxruntime onnx numpy pillow
    python3 scripts/check_dfm_export.py --model model.safetensors --face aligned.png [--facelive .build/debug/facelive]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="facelive model (.safetensors)")
    parser.add_argument("--face", required=True, help="aligned face image (PNG), resized to the model's resolution")
    parser.add_argument("--facelive", default=os.path.join(root, ".build", "debug", "facelive"))
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    import onnx
    import onnxruntime as ort
    from PIL import Image

    tmp = tempfile.mkdtemp(prefix="facelive-dfm-export-")
    dfm = os.path.join(tmp, "export.dfm")
    print(run([args.facelive, "model", args.model, "--export", dfm]))
    model = onnx.load(dfm)
    onnx.checker.check_model(model)
    print(f"opset {model.opset_import[0].version}, inputs {[i.name for i in model.graph.input]}, "
          f"outputs {[o.name for o in model.graph.output]}")

    own_face, own_mask = os.path.join(tmp, "own_face.npy"), os.path.join(tmp, "own_mask.npy")
    run([args.facelive, "model", args.model, "--apply", args.face, "-o", own_face, "--mask-out", own_mask])
    face_rgb, mask = np.load(own_face), np.load(own_mask)
    r = face_rgb.shape[0]

    img = Image.open(args.face).convert("RGB")
    if img.size != (r, r):
        sys.exit(f"give a {r}×{r} aligned face (facelive and PIL resize differently)")
    bgr = (np.asarray(img, dtype=np.float32) / 255.0)[None, :, :, ::-1].copy()
    session = ort.InferenceSession(dfm, providers=["CPUExecutionProvider"])
    dst_mask, celeb, celeb_mask = session.run(None, {session.get_inputs()[0].name: bgr})
    face_delta = np.abs(celeb[0, :, :, ::-1] - face_rgb).max()
    mask_delta = np.abs(celeb_mask[0, :, :, 0] - mask).max()
    print(f"onnxruntime vs facelive (safetensors): face max |Δ| {face_delta:.2e}, mask max |Δ| {mask_delta:.2e}")

    # facelive's own ONNX importer on the exported file: its --mask-out is the DFM merge mask (dst × celeb).
    imp_face, imp_mask = os.path.join(tmp, "imp_face.npy"), os.path.join(tmp, "imp_mask.npy")
    run([args.facelive, "model", dfm, "--apply", args.face, "-o", imp_face, "--mask-out", imp_mask])
    imp_delta = max(np.abs(np.load(imp_face) - celeb[0, :, :, ::-1]).max(),
                    np.abs(np.load(imp_mask) - dst_mask[0, :, :, 0] * celeb_mask[0, :, :, 0]).max())
    print(f"onnxruntime vs facelive (imported .dfm): max |Δ| {imp_delta:.2e}")
    ok = max(face_delta, mask_delta, imp_delta) <= args.tolerance
    print("OK" if ok else f"FAILED: tolerance {args.tolerance}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
