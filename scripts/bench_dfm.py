#!/usr/bin/env python3
"""Times DeepFaceLive-size .dfm replicas on facelive's runtime and on onnxruntime, same machine, same threads.

The replicas (liae-udt and df-ud at 224 px, DeepFaceLive's recommended widths) come from
scripts/make_dfm_test_models.py --full (random weights: speed does not depend on them). Each round times every
model on onnxruntime and then on facelive (neural-bench --onnx), for 1 and 2 threads, so machine load hits both;
reported: medians over rounds of the per-round medians, and the median of the per-round ratios.

    pip install tensorflow-cpu tf2onnx onnx onnxruntime torch pillow   # offline tools only
    python3 scripts/make_dfm_test_models.py --full --out /tmp/dfm-full
    swift build -c release --scratch-path .build-release --product neural-bench
    python3 scripts/bench_dfm.py --models /tmp/dfm-full [--rounds 5] [--iterations 10] [--precision bf16]
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np


def onnxruntime_median(path, threads, iterations):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    feeds = {}
    for i in session.get_inputs():
        shape = [1 if not isinstance(d, int) else d for d in i.shape]
        n = int(np.prod(shape))
        feeds[i.name] = (np.full(shape, 0.75, np.float32) if "morph" in i.name
                         else (np.arange(n) % 251 / 251).astype(np.float32).reshape(shape))
    for _ in range(max(3, iterations // 10)):
        session.run(None, feeds)
    times, cpu = [], []
    for _ in range(iterations):
        start, start_cpu = time.perf_counter(), time.process_time()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
    return statistics.median(times), statistics.median(cpu)


def facelive_median(binary, path, threads, iterations, precision):
    out = subprocess.run([binary, "--onnx", path, "--threads", str(threads), "--iterations", str(iterations),
                          "--precision", precision],
                         check=True, capture_output=True, text=True).stdout
    line = json.loads(next(l for l in out.splitlines() if l.startswith("{")))
    return line["median_ms"], line.get("cpu_median_ms", float("nan")), line["gflop"]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", required=True, help="folder of .dfm files")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--precision", default="fp32", choices=["fp32", "bf16"],
                        help="facelive's convolutions (onnxruntime stays fp32)")
    parser.add_argument("--binary", default=os.path.join(root, ".build-release", "release", "neural-bench"))
    args = parser.parse_args()

    models = sorted(glob.glob(os.path.join(args.models, "*.dfm")))
    threads = [int(t) for t in args.threads.split(",")]
    results = {}  # (model, threads) -> list of (ours, theirs)
    cpu = {}  # (model, threads) -> list of (ours, theirs): CPU time per face, all threads
    gflop = {}
    load_start = os.getloadavg()[0]
    for r in range(args.rounds):
        for t in threads:
            for m in models:
                theirs, theirs_cpu = onnxruntime_median(m, t, args.iterations)
                ours, ours_cpu, gflop[m] = facelive_median(args.binary, m, t, args.iterations, args.precision)
                results.setdefault((m, t), []).append((ours, theirs))
                cpu.setdefault((m, t), []).append((ours_cpu, theirs_cpu))
                print(f"round {r + 1}/{args.rounds}, {t} thread(s), {os.path.basename(m)}: facelive {ours:.1f} ms "
                      f"(CPU {ours_cpu:.1f}), onnxruntime {theirs:.1f} ms (CPU {theirs_cpu:.1f}), "
                      f"load {os.getloadavg()[0]:.1f}", file=sys.stderr)

    import onnxruntime as ort
    print(f"{args.rounds} rounds × {args.iterations} runs per model, runtime and thread count; facelive {args.precision}, onnxruntime "
          f"{ort.__version__}; load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end")
    print("CPU: median CPU time per face over all threads (onnxruntime's pool spins while it waits, so at 2 threads its "
          "CPU time overstates its work); on a loaded machine the 1-thread CPU ratio is the steadier figure")
    print("| model | GFLOP/face | threads | facelive (ms) | onnxruntime (ms) | ratio (median of rounds) "
          "| facelive CPU (ms) | onnxruntime CPU (ms) | CPU ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for m in models:
        for t in threads:
            rows = results[(m, t)]
            ours = statistics.median(o for o, _ in rows)
            theirs = statistics.median(x for _, x in rows)
            ratio = statistics.median(o / x for o, x in rows)
            c = cpu[(m, t)]
            ours_cpu, theirs_cpu = statistics.median(o for o, _ in c), statistics.median(x for _, x in c)
            cpu_ratio = statistics.median(o / x for o, x in c)
            print(f"| {os.path.basename(m)} | {gflop[m]:.1f} | {t} | {ours:.1f} | {theirs:.1f} | {ratio:.2f}× "
                  f"| {ours_cpu:.1f} | {theirs_cpu:.1f} | {cpu_ratio:.2f}× |")


if __name__ == "__main__":
    main()
