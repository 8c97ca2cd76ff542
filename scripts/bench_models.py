#!/usr/bin/env python3
"""Times the face and hand networks on facelive's Swift runtime and on LiteRT (ai-edge-litert), same inputs, same machine.

Both run single-threaded (OpenBLAS 1 thread; LiteRT num_threads=1, XNNPACK). Each round times every model on
LiteRT and then immediately on facelive, so a change in machine load hits both; reported: the median over rounds of
the per-round medians, and the median of the per-round ratios.

    pip install ai-edge-litert numpy            # reference runtime (offline check only)
    python3 scripts/bench_models.py [--rounds 5] [--iterations 300]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from ai_edge_litert.interpreter import Interpreter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "Sources/Face/Resources/models")
GOLDEN = os.path.join(os.path.dirname(ROOT), "shared", "golden")
NETWORKS = [  # (model file stem, golden input stem, input shape)
    ("face_detection_short_range", "blazeface_short_in_1x128x128x3", (1, 128, 128, 3)),
    ("face_detection_full_range", "blazeface_full_in_1x192x192x3", (1, 192, 192, 3)),
    ("face_landmark", "facemesh_in_1x192x192x3", (1, 192, 192, 3)),
    ("palm_detection_lite", "palm_detection_lite_in_1x192x192x3", (1, 192, 192, 3)),
    ("hand_landmark_lite", "hand_landmark_lite_in_1x224x224x3", (1, 224, 224, 3)),
    ("iris_landmark", "iris_landmark_in_1x64x64x3", (1, 64, 64, 3)),
]


def inputs_dir():
    """The golden inputs when ../shared is present, else random inputs written to a temporary directory."""
    if os.path.isdir(GOLDEN):
        return GOLDEN
    tmp = tempfile.mkdtemp(prefix="facelive-bench-")
    rng = np.random.default_rng(0)
    for _, stem, shape in NETWORKS:
        np.save(os.path.join(tmp, stem + ".npy"), rng.uniform(-1, 1, shape).astype(np.float32))
    return tmp


def litert_median(model, stem, directory, iterations):
    interpreter = Interpreter(model_path=os.path.join(MODELS, model + ".tflite"), num_threads=1)
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], np.load(os.path.join(directory, stem + ".npy")))
    for _ in range(max(10, iterations // 10)):
        interpreter.invoke()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        interpreter.invoke()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def swift_median(binary, model, directory, iterations):
    out = subprocess.run([binary, "--golden", directory, "--iterations", str(iterations), "--model", model],
                         check=True, capture_output=True, text=True).stdout
    return next(json.loads(line)["median_ms"] for line in out.splitlines() if line.startswith("{"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--scratch-path", default=os.path.join(ROOT, ".build"))
    args = parser.parse_args()

    subprocess.run(["swift", "build", "-c", "release", "--product", "neural-bench", "--scratch-path", args.scratch_path],
                   cwd=ROOT, check=True, stdout=sys.stderr)
    binary = os.path.join(args.scratch_path, "release", "neural-bench")
    directory = inputs_dir()
    rounds = []  # per round: {model: (swift_ms, litert_ms)}
    for r in range(args.rounds):
        this = {}
        for model, stem, _ in NETWORKS:
            theirs = litert_median(model, stem, directory, args.iterations)
            ours = swift_median(binary, model, directory, args.iterations)
            this[model] = (ours, theirs)
        rounds.append(this)
        print(f"round {r + 1}/{args.rounds}: " + ", ".join(f"{m} {o:.2f}/{t:.2f} ms" for m, (o, t) in this.items()),
              file=sys.stderr)

    print(f"inputs: {directory}; {args.rounds} rounds × {args.iterations} invokes per model and runtime, 1 thread; "
          f"load average at end {os.getloadavg()[0]:.2f}")
    print("| model | facelive (ms) | LiteRT 1 thread (ms) | ratio (median of rounds) |")
    print("|---|---|---|---|")
    for model, _, _ in NETWORKS:
        ours = statistics.median(r[model][0] for r in rounds)
        theirs = statistics.median(r[model][1] for r in rounds)
        ratio = statistics.median(r[model][0] / r[model][1] for r in rounds)
        print(f"| {model} | {ours:.2f} | {theirs:.2f} | {ratio:.2f}× |")


if __name__ == "__main__":
    main()
