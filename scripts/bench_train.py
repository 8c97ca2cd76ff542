#!/usr/bin/env python3
"""Training speed of facelive's swap models against PyTorch (CPU) for the identical architecture, batch and threads.

Runs `facelive bench-train` (release build) and the same network in PyTorch in one go; prints a table.
  swift build -c release && python3 scripts/bench_train.py --preset live --arch df --batch 8 --threads 2
PyTorch side: `pip install torch`. Synthetic random faces on both sides; data loading is not timed.
"""
import argparse, json, math, os, subprocess, sys, time

PRESETS = {  # must match SwapModelConfig.preset
    ("live", "df"): dict(res=96, ae=128, e=24, d=12, dm=6, resblocks=False),
    ("live", "liae"): dict(res=96, ae=64, e=24, d=12, dm=6, resblocks=False),
    ("quality", "df"): dict(res=128, ae=256, e=48, d=48, dm=16, resblocks=True),
    ("quality", "liae"): dict(res=128, ae=256, e=48, d=48, dm=16, resblocks=True),
}


def torch_model(torch, cfg, arch):
    nn = torch.nn
    F = torch.nn.functional
    res, ae, e, d, dm = cfg["res"], cfg["ae"], cfg["e"], cfg["d"], cfg["dm"]
    low = res // 16

    class Down(nn.Module):
        def __init__(s, i, o): super().__init__(); s.c = nn.Conv2d(i, o, 5, 2, 2)
        def forward(s, x): return F.leaky_relu(s.c(x), 0.1)

    class Up(nn.Module):
        def __init__(s, i, o): super().__init__(); s.c = nn.Conv2d(i, o * 4, 3, 1, 1)
        def forward(s, x): return F.pixel_shuffle(F.leaky_relu(s.c(x), 0.1), 2)

    class Res(nn.Module):
        def __init__(s, c): super().__init__(); s.a = nn.Conv2d(c, c, 3, 1, 1); s.b = nn.Conv2d(c, c, 3, 1, 1)
        def forward(s, x): return F.leaky_relu(x + s.b(F.leaky_relu(s.a(x), 0.2)), 0.2)

    class Encoder(nn.Module):
        def __init__(s): super().__init__(); s.l = nn.Sequential(Down(3, e), Down(e, 2 * e), Down(2 * e, 4 * e), Down(4 * e, 8 * e))
        def forward(s, x): return s.l(x)

    inter_ch = ae if arch == "df" else ae * 2

    class Inter(nn.Module):
        def __init__(s):
            super().__init__()
            s.d1 = nn.Linear(low * low * 8 * e, ae); s.d2 = nn.Linear(ae, low * low * inter_ch); s.up = Up(inter_ch, inter_ch)
        def forward(s, x):
            x = s.d2(s.d1(x.flatten(1)))
            return s.up(x.view(-1, inter_ch, low, low))

    dec_in = inter_ch if arch == "df" else inter_ch * 2

    class Decoder(nn.Module):
        def __init__(s):
            super().__init__()
            layers, c = [], dec_in
            for m in (8, 4, 2):
                layers.append(Up(c, d * m)); c = d * m
                if cfg["resblocks"]: layers.append(Res(c))
            s.face = nn.Sequential(*layers, nn.Conv2d(c, 3, 1))
            layers, c = [], dec_in
            for m in (8, 4, 2):
                layers.append(Up(c, dm * m)); c = dm * m
            s.mask = nn.Sequential(*layers, nn.Conv2d(c, 1, 1))
        def forward(s, x): return torch.sigmoid(s.face(x)), torch.sigmoid(s.mask(x))

    class DF(nn.Module):
        def __init__(s): super().__init__(); s.enc = Encoder(); s.inter = Inter(); s.ds = Decoder(); s.dd = Decoder()
        def forward(s, x, n):
            code = s.inter(s.enc(x))
            return s.ds(code[:n]), s.dd(code[n:])

    class LIAE(nn.Module):
        def __init__(s): super().__init__(); s.enc = Encoder(); s.ab = Inter(); s.b = Inter(); s.dec = Decoder()
        def forward(s, x, n):
            e_ = s.enc(x); ab = s.ab(e_); b = s.b(e_[n:])
            code = torch.cat([torch.cat([ab[:n], ab[:n]], 1), torch.cat([b, ab[n:]], 1)], 0)
            f, m = s.dec(code)
            return (f[:n], m[:n]), (f[n:], m[n:])

    return DF() if arch == "df" else LIAE()


def torch_bench(cfg, arch, batch, iterations, threads, warmup=2):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    F = torch.nn.functional
    res = cfg["res"]
    model = torch_model(torch, cfg, arch)
    opt = torch.optim.Adam(model.parameters(), lr=5e-5, betas=(0.5, 0.999), eps=1e-7)
    win = min(11, max(3, int(res / 11.6)))
    g = torch.exp(-((torch.arange(win) - (win - 1) / 2) ** 2) / (2 * 1.5 ** 2)); g = g / g.sum()
    kernel = (g[:, None] * g[None, :]).expand(3, 1, win, win).contiguous()

    def dssim(x, y):
        f = lambda t: F.conv2d(t, kernel, groups=3)
        mx, my = f(x), f(y)
        sxx, syy, sxy = f(x * x) - mx * mx, f(y * y) - my * my, f(x * y) - mx * my
        c1, c2 = 0.01 ** 2, 0.03 ** 2
        s = (2 * mx * my + c1) * (2 * sxy + c2) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
        return ((1 - s) / 2).mean(dim=(1, 2, 3))

    def loss(face, pmask, target, mask):
        t, p = target * mask, face * mask
        return (10 * dssim(t, p) + 10 * ((t - p) ** 2).mean(dim=(1, 2, 3)) + 10 * ((mask - pmask) ** 2).mean(dim=(1, 2, 3))).mean()

    x = torch.rand(2 * batch, 3, res, res); target = torch.rand(2 * batch, 3, res, res)
    mask = (torch.rand(2 * batch, 1, res, res) > 0.3).float()

    def step():
        opt.zero_grad(set_to_none=False)
        (sf, sm), (df, dm) = model(x, batch)
        l = loss(sf, sm, target[:batch], mask[:batch]) + loss(df, dm, target[batch:], mask[batch:])
        l.backward(); opt.step()

    for _ in range(warmup): step()
    t, c = time.perf_counter(), time.process_time()
    for _ in range(iterations): step()
    per_iter = (time.perf_counter() - t) / iterations
    cpu_per_iter = (time.process_time() - c) / iterations
    params = sum(p.numel() for p in model.parameters())
    return per_iter, cpu_per_iter, params


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="live"); ap.add_argument("--arch", default="df")
    ap.add_argument("--batch", type=int, default=8); ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--precision", default="fp32", choices=["fp32", "bf16"],
                    help="facelive's convolution arithmetic (bf16: bf16 products, fp32 sums); PyTorch stays fp32")
    ap.add_argument("--rounds", type=int, default=3, help="alternate the two sides this many times; report the best and median")
    ap.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "facelive"))
    a = ap.parse_args()
    cfg = PRESETS[(a.preset, a.arch)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(a.threads))
    swift_times, torch_times, swift_cpu, torch_cpu, swift = [], [], [], [], None
    # Alternating rounds: on a shared machine, load changes over minutes; both sides see the same conditions.
    for _ in range(a.rounds):
        out = subprocess.run([a.binary, "bench-train", "--preset", a.preset, "--arch", a.arch, "--batch", str(a.batch),
                              "--iterations", str(a.iterations), "--threads", str(a.threads),
                              "--precision", a.precision],
                             check=True, capture_output=True, text=True, env=env).stdout
        swift = json.loads(out)
        swift_times.append(swift["secondsPerIteration"])
        swift_cpu.append(swift.get("cpuSecondsPerIteration", float("nan")))
        t, c, torch_params = torch_bench(cfg, a.arch, a.batch, a.iterations, a.threads)
        torch_times.append(t)
        torch_cpu.append(c)
    assert torch_params == swift["parameters"], f"parameter counts differ: torch {torch_params}, swift {swift['parameters']}"
    import statistics, torch
    print(f"{a.preset}/{a.arch} {cfg['res']}px batch {a.batch}x2, {a.threads} threads, {swift['parameters']/1e6:.2f} M params, "
          f"{swift['flopsPerFace']/1e9:.2f} GFLOP/face, {a.rounds} rounds x {a.iterations} iterations, facelive {a.precision}")
    for name, ts in (("facelive", swift_times), (f"PyTorch {torch.__version__}", torch_times)):
        print(f"  {name:24s}: best {min(ts)*1000:8.1f} ms/iter, median {statistics.median(ts)*1000:8.1f}  "
              f"(rounds: {', '.join(f'{t*1000:.0f}' for t in ts)})")
    print(f"  ratio facelive/PyTorch time: best {min(swift_times)/min(torch_times):.2f}x, "
          f"median {statistics.median(swift_times)/statistics.median(torch_times):.2f}x")
    # CPU time (all threads): steadier under load, but oneDNN's OpenMP threads spin while waiting, which counts
    # against PyTorch here; the wall-time ratio above is the comparison.
    print(f"  CPU s/iter (medians): facelive {statistics.median(swift_cpu)*1000:.0f} ms, "
          f"PyTorch {statistics.median(torch_cpu)*1000:.0f} ms, ratio {statistics.median(swift_cpu)/statistics.median(torch_cpu):.2f}x")
    print(f"  facelive inference (last round): {swift['inferenceMillisecondsPerFace']:.1f} ms/face")


if __name__ == "__main__":
    main()
