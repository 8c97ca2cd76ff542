#!/usr/bin/env python3
"""Times the face networks on facelive's Swift runtime and on LiteRT (ai-edge-litert), same inputs, same machine.

Both run single-threaded (OpenBLAS 1 thread; LiteRT num_threads=1, XNNPACK). Rounds alternate between the two
runtimes so a change in machine load hits both; the reported figure is the median over rounds of per-round medians.

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
MODELS = os.path.join(ROOT, "Sources/Swap/Resources/models")
GOLDEN = os.path.join(os.path.dirname(ROOT), "shared", "golden")
NETWORKS = [  # (model file stem, golden input stem, input shape)
    ("face_detection_short_range", "blazeface_short_in_1x128x128x3", (1, 128, 128, 3)),
    ("face_detection_full_range", "blazeface_full_in_1x192x192x3", (1, 192, 192, 3)),
    ("face_landmark", "facemesh_in_1x192x192x3", (1, 192, 192, 3)),
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


def litert_medians(directory, iterations):
    result = {}
    for model, stem, _ in NETWORKS:
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
        result[model] = statistics.median(times)
    return result


def swift_medians(binary, directory, iterations):
    out = subprocess.run([binary, "--golden", directory, "--iterations", str(iterations)],
                         check=True, capture_output=True, text=True).stdout
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {line["model"]: line["median_ms"] for line in lines}


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
    rounds = {"swift": [], "litert": []}
    for r in range(args.rounds):
        rounds["litert"].append(litert_medians(directory, args.iterations))
        rounds["swift"].append(swift_medians(binary, directory, args.iterations))
        print(f"round {r + 1}/{args.rounds}: swift {rounds['swift'][-1]}  litert {rounds['litert'][-1]}", file=sys.stderr)

    print(f"inputs: {directory}; {args.rounds} rounds × {args.iterations} invokes, 1 thread each; load {os.getloadavg()}")
    print("| model | facelive (ms) | LiteRT 1 thread (ms) | ratio |")
    print("|---|---|---|---|")
    for model, _, _ in NETWORKS:
        ours = statistics.median(r[model] for r in rounds["swift"])
        theirs = statistics.median(r[model] for r in rounds["litert"])
        print(f"| {model} | {ours:.2f} | {theirs:.2f} | {ours / theirs:.2f}× |")


if __name__ == "__main__":
    main()
