#!/usr/bin/env python3
"""Builds small DeepFaceLab-style `.dfm` (ONNX) test models and onnxruntime's outputs for them.

No real `.dfm` may be redistributed, so the ONNX importer is tested on replicas: DeepFaceLab's SAEHD (df-ud,
liae-udt) and AMP architectures rebuilt layer for layer at small widths with seeded random weights, in a TF1-style
graph converted with tf2onnx the way DeepFaceLab's `export_dfm` does (frozen graph → `tf2onnx`, DFM names, NHWC BGR
0..1 input), plus one PyTorch export (NCHW, PixelShuffle = DepthToSpace CRD) so the importer is not tuned to one
exporter. Offline only: facelive never runs Python.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install tensorflow-cpu tf2onnx onnx onnxruntime torch pillow
    /tmp/venv/bin/python scripts/make_dfm_test_models.py [--out Tests/Fixtures/onnx]
    /tmp/venv/bin/python scripts/make_dfm_test_models.py --full --out /tmp/dfm-full   # benchmark-size replicas

Writes, per model NAME: `NAME.dfm`, `NAME_in_face.npy` (the aligned astronaut, BGR 0..1, 1×R×R×3), and
`NAME_out_<k>.npy` for each output k in DFM order (0 mask of the input face, 1 swapped face, 2 its mask);
AMP models also `NAME_morph_value.npy`.

Layer definitions follow DeepFaceLab's `core/leras` (Conv2D 'SAME' + bias, Dense = matmul + bias, leaky ReLU 0.1,
Upscale = conv + depth_to_space(2), ResidualBlock with leaky 0.2, `-u` pixel norm of the flattened code, `-d` doubled
output resolution through depth_to_space of four convs, `-t` the deeper encoder/decoder).
"""
import argparse
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FACE = os.path.join(ROOT, "Tests", "Fixtures", "astronaut_public_domain.png")
FACE_BOX = (125, 20, 295, 190)  # whole-face-like square around the astronaut's face (512² photo)


# MARK: DeepFaceLab layers (leras) in a TF1 graph

class Leras:
    """The subset of DeepFaceLab's `nn` used by SAEHD and AMP, for one data format."""

    def __init__(self, tf, data_format, rng, cpu_depth_to_space):
        self.tf, self.fmt, self.rng = tf, data_format, rng
        self.cpu_d2s = cpu_depth_to_space
        self.ch_axis = 1 if data_format == "NCHW" else 3
        self.recorded, self.replay = [], None

    def shared(self, build):
        """Calls `build` twice with the same constants, as DFL calls one decoder twice; returns both results."""
        self.recorded = []
        first = build(0)
        self.replay = list(self.recorded)
        second = build(1)
        self.replay = None
        return first, second

    def constant(self, make):
        if self.replay is not None:
            return self.replay.pop(0)
        c = self.tf.constant(make())
        self.recorded.append(c)
        return c

    def weight(self, shape, fan_in):
        # He-normal, damped so deep random stacks neither explode nor saturate every sigmoid.
        return self.constant(lambda: self.rng.normal(0.0, 0.9 * np.sqrt(2.0 / fan_in), shape).astype(np.float32))

    def bias(self, n):
        return self.constant(lambda: self.rng.uniform(-0.1, 0.1, n).astype(np.float32))

    def conv(self, x, in_ch, out_ch, k, strides=1):
        tf = self.tf
        w = self.weight((k, k, in_ch, out_ch), k * k * in_ch)
        s = [1, 1, strides, strides] if self.fmt == "NCHW" else [1, strides, strides, 1]
        x = tf.nn.conv2d(x, w, s, "SAME", data_format=self.fmt)
        shape = (1, out_ch, 1, 1) if self.fmt == "NCHW" else (1, 1, 1, out_ch)
        return tf.add(x, tf.reshape(self.bias(out_ch), shape))

    def dense(self, x, in_ch, out_ch):
        tf = self.tf
        x = tf.matmul(x, self.weight((in_ch, out_ch), in_ch))
        return tf.add(x, tf.reshape(self.bias(out_ch), (1, out_ch)))

    def depth_to_space(self, x, size):
        tf = self.tf
        if self.fmt == "NHWC":
            _, h, w, c = x.shape.as_list()
            x = tf.reshape(x, (-1, h, w, size, size, c // (size * size)))
            x = tf.transpose(x, (0, 1, 3, 2, 4, 5))
            return tf.reshape(x, (-1, h * size, w * size, c // (size * size)))
        if not self.cpu_d2s:
            return tf.nn.depth_to_space(x, size, data_format="NCHW")
        _, c, h, w = x.shape.as_list()
        oc = c // (size * size)
        x = tf.reshape(x, (-1, size, size, oc, h, w))
        x = tf.transpose(x, (0, 3, 4, 1, 5, 2))
        return tf.reshape(x, (-1, oc, h * size, w * size))

    def flatten(self, x):
        tf = self.tf
        if self.fmt == "NHWC":
            x = tf.transpose(x, (0, 3, 1, 2))
        return tf.reshape(x, (-1, int(np.prod(x.shape[1:]))))

    def reshape_4d(self, x, w, h, c):
        tf = self.tf
        if self.fmt == "NHWC":
            return tf.transpose(tf.reshape(x, (-1, c, h, w)), (0, 2, 3, 1))
        return tf.reshape(x, (-1, c, h, w))

    def pixel_norm(self, x):
        tf = self.tf
        return x * tf.math.rsqrt(tf.reduce_mean(tf.square(x), axis=-1, keepdims=True) + 1e-06)

    # Blocks
    def downscale(self, x, in_ch, out_ch, k=5):
        return self.tf.nn.leaky_relu(self.conv(x, in_ch, out_ch, k, strides=2), 0.1)

    def upscale(self, x, in_ch, out_ch, k=3):
        x = self.tf.nn.leaky_relu(self.conv(x, in_ch, out_ch * 4, k), 0.1)
        return self.depth_to_space(x, 2)

    def residual(self, inp, ch, k=3):
        tf = self.tf
        x = tf.nn.leaky_relu(self.conv(inp, ch, ch, k), 0.2)
        x = self.conv(x, ch, ch, k)
        return tf.nn.leaky_relu(inp + x, 0.2)


class DeepFakeArchi:
    """SAEHD's encoder / inter / decoder (DeepFakeArchi, mod None) for the options in `opts` ('u', 'd', 't')."""

    def __init__(self, nn, resolution, opts):
        self.nn, self.res, self.opts = nn, resolution, opts
        self.lowest = resolution // (32 if "d" in opts else 16)

    def encoder(self, x, in_ch, e_ch):
        nn, o = self.nn, self.opts
        if "t" in o:
            x = nn.downscale(x, in_ch, e_ch)
            x = nn.residual(x, e_ch)
            x = nn.downscale(x, e_ch, e_ch * 2)
            x = nn.downscale(x, e_ch * 2, e_ch * 4)
            x = nn.downscale(x, e_ch * 4, e_ch * 8)
            x = nn.downscale(x, e_ch * 8, e_ch * 8)
            x = nn.residual(x, e_ch * 8)
        else:
            last = in_ch
            for i in range(4):
                cur = e_ch * min(2 ** i, 8)
                x = nn.downscale(x, last, cur)
                last = cur
        x = nn.flatten(x)
        if "u" in o:
            x = nn.pixel_norm(x)
        return x

    def encoder_out(self, e_ch):
        r = self.res // (32 if "t" in self.opts else 16)
        return r * r * e_ch * 8

    def inter(self, x, in_ch, ae_ch, ae_out_ch):
        nn = self.nn
        x = nn.dense(x, in_ch, ae_ch)
        x = nn.dense(x, ae_ch, self.lowest * self.lowest * ae_out_ch)
        x = nn.reshape_4d(x, self.lowest, self.lowest, ae_out_ch)
        if "t" not in self.opts:
            x = nn.upscale(x, ae_out_ch, ae_out_ch)
        return x

    def decoder(self, z, in_ch, d_ch, dm_ch):
        nn, o, tf = self.nn, self.opts, self.nn.tf
        t = "t" in o
        chans = [d_ch * 8, d_ch * 8, d_ch * 4, d_ch * 2] if t else [d_ch * 8, d_ch * 4, d_ch * 2]
        x, last = z, in_ch
        for c in chans:
            x = nn.upscale(x, last, c)
            x = nn.residual(x, c)
            last = c
        if "d" in o:
            outs = [nn.conv(x, d_ch * 2, 3, 1)] + [nn.conv(x, d_ch * 2, 3, 3) for _ in range(3)]
            x = tf.nn.sigmoid(nn.depth_to_space(tf.concat(outs, nn.ch_axis), 2))
        else:
            x = tf.nn.sigmoid(nn.conv(x, d_ch * 2, 3, 1))
        mchans = [dm_ch * 8, dm_ch * 8, dm_ch * 4, dm_ch * 2] if t else [dm_ch * 8, dm_ch * 4, dm_ch * 2]
        if "d" in o:
            mchans.append(dm_ch)
        m, last = z, in_ch
        for c in mchans:
            m = nn.upscale(m, last, c)
            last = c
        m = tf.nn.sigmoid(nn.conv(m, last, 1, 1))
        return x, m


def to_model_layout(nn, x):
    """DFL's export: the NHWC placeholder transposed to the model's data format."""
    return nn.tf.transpose(x, (0, 3, 1, 2)) if nn.fmt == "NCHW" else x


def to_nhwc(nn, x):
    return nn.tf.transpose(x, (0, 2, 3, 1)) if nn.fmt == "NCHW" else x


def build_saehd(tf, nn, archi, res, e_ch, ae_ch, d_ch, dm_ch):
    """SAEHD `export_dfm`: df or liae by `archi`, outputs (dst mask, src→dst face, its mask)."""
    face = tf.compat.v1.placeholder(tf.float32, (None, res, res, 3), name="in_face")
    x = to_model_layout(nn, face)
    a = DeepFakeArchi(nn, res, archi.split("-")[1] if "-" in archi else "")
    enc_out = a.encoder_out(e_ch)
    if archi.startswith("df"):
        code = a.inter(a.encoder(x, 3, e_ch), enc_out, ae_ch, ae_ch)
        src_dst, src_dstm = a.decoder(code, ae_ch, d_ch, dm_ch)  # decoder_src
        _, dst_dstm = a.decoder(code, ae_ch, d_ch, dm_ch)  # decoder_dst: its own weights
    else:
        enc = a.encoder(x, 3, e_ch)
        # DFL builds each sub-network once and calls it twice; the frozen graph shares the constants.
        inter_b = a.inter(enc, enc_out, ae_ch, ae_ch * 2)
        inter_ab = a.inter(enc, enc_out, ae_ch, ae_ch * 2)
        dst_code = tf.concat([inter_b, inter_ab], nn.ch_axis)
        src_dst_code = tf.concat([inter_ab, inter_ab], nn.ch_axis)
        codes = (src_dst_code, dst_code)
        (src_dst, src_dstm), (_, dst_dstm) = nn.shared(lambda i: a.decoder(codes[i], ae_ch * 4, d_ch, dm_ch))
    tf.identity(to_nhwc(nn, dst_dstm), name="out_face_mask")
    tf.identity(to_nhwc(nn, src_dst), name="out_celeb_face")
    tf.identity(to_nhwc(nn, src_dstm), name="out_celeb_face_mask")
    return ["in_face:0"]


def build_amp(tf, nn, res, e_ch, ae_ch, d_ch, dm_ch):
    """AMP `export_dfm`: one encoder, inter_src and inter_dst codes mixed channel-wise by `morph_value`."""
    lowest = res // 32
    face = tf.compat.v1.placeholder(tf.float32, (None, res, res, 3), name="in_face")
    morph = tf.compat.v1.placeholder(tf.float32, (1,), name="morph_value")
    x = to_model_layout(nn, face)
    x = nn.downscale(x, 3, e_ch)
    x = nn.residual(x, e_ch)
    x = nn.downscale(x, e_ch, e_ch * 2)
    x = nn.downscale(x, e_ch * 2, e_ch * 4)
    x = nn.downscale(x, e_ch * 4, e_ch * 8)
    x = nn.downscale(x, e_ch * 8, e_ch * 8)
    x = nn.residual(x, e_ch * 8)
    x = nn.pixel_norm(nn.flatten(x))
    code = nn.dense(x, lowest * lowest * e_ch * 8, ae_ch)

    def inter(c):
        return nn.reshape_4d(nn.dense(c, ae_ch, lowest * lowest * ae_ch), lowest, lowest, ae_ch)

    inter_src, inter_dst = inter(code), inter(code)  # two networks, two sets of weights
    k = tf.cast(ae_ch * morph[0], tf.int32)
    if nn.fmt == "NCHW":
        src_part = tf.slice(inter_src, [0, 0, 0, 0], [-1, k, lowest, lowest])
        dst_part = tf.slice(inter_dst, [0, k, 0, 0], [-1, ae_ch - k, lowest, lowest])
    else:
        src_part = tf.slice(inter_src, [0, 0, 0, 0], [-1, lowest, lowest, k])
        dst_part = tf.slice(inter_dst, [0, 0, 0, k], [-1, lowest, lowest, ae_ch - k])
    src_dst_code = tf.concat((src_part, dst_part), nn.ch_axis)

    def decoder(z):
        chans = [d_ch * 8, d_ch * 8, d_ch * 4, d_ch * 2]
        y, last = z, ae_ch
        for c in chans:
            y = nn.residual(nn.upscale(y, last, c), c)
            last = c
        outs = [nn.conv(y, d_ch * 2, 3, 1)] + [nn.conv(y, d_ch * 2, 3, 3) for _ in range(3)]
        y = tf.nn.sigmoid(nn.depth_to_space(tf.concat(outs, nn.ch_axis), 2))
        m, last = z, ae_ch
        for c in [dm_ch * 8, dm_ch * 8, dm_ch * 4, dm_ch * 2, dm_ch]:
            m = nn.upscale(m, last, c)
            last = c
        return y, tf.nn.sigmoid(nn.conv(m, last, 1, 1))

    codes = (src_dst_code, inter_dst)
    (src_dst, src_dstm), (_, dst_dstm) = nn.shared(lambda i: decoder(codes[i]))  # one decoder, called twice
    tf.identity(to_nhwc(nn, dst_dstm), name="out_face_mask")
    tf.identity(to_nhwc(nn, src_dst), name="out_celeb_face")
    tf.identity(to_nhwc(nn, src_dstm), name="out_celeb_face_mask")
    return ["in_face:0", "morph_value:0"]


OUTPUTS = ["out_face_mask:0", "out_celeb_face:0", "out_celeb_face_mask:0"]


def export_tf(spec, path):
    """Builds the graph of `spec`, freezes it and converts it like DFL's export_dfm."""
    import tensorflow as tf
    import tf2onnx

    tf.compat.v1.disable_eager_execution()
    graph = tf.Graph()
    with graph.as_default():
        nn = Leras(tf, spec["format"], np.random.default_rng(spec["seed"]), spec.get("cpu_d2s", False))
        if spec["kind"] == "amp":
            inputs = build_amp(tf, nn, spec["res"], *spec["dims"])
        else:
            inputs = build_saehd(tf, nn, spec["kind"], spec["res"], *spec["dims"])
        graph_def = graph.as_graph_def()
    model, _ = tf2onnx.convert.from_graph_def(
        graph_def, name=spec["graph_name"], input_names=inputs, output_names=OUTPUTS, opset=spec["opset"])
    model.graph.name = spec["graph_name"]  # as DFL's export names it ("SAEHD" / "AMP")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


def export_torch(spec, path):
    """A df-style network in PyTorch (NCHW convs, PixelShuffle), wrapped in the DFM NHWC contract."""
    import torch
    from torch import nn as tnn
    import torch.nn.functional as F

    torch.manual_seed(spec["seed"])
    res, (e_ch, ae_ch, d_ch, dm_ch) = spec["res"], spec["dims"]
    lowest = res // 16

    class Up(tnn.Module):
        def __init__(self, i, o):
            super().__init__()
            self.conv = tnn.Conv2d(i, o * 4, 3, padding=1)

        def forward(self, x):
            return F.pixel_shuffle(F.leaky_relu(self.conv(x), 0.1), 2)

    class Res(tnn.Module):
        def __init__(self, c):
            super().__init__()
            self.a, self.b = tnn.Conv2d(c, c, 3, padding=1), tnn.Conv2d(c, c, 3, padding=1)

        def forward(self, x):
            return F.leaky_relu(x + self.b(F.leaky_relu(self.a(x), 0.2)), 0.2)

    class Net(tnn.Module):
        def __init__(self):
            super().__init__()
            chans = [3, e_ch, e_ch * 2, e_ch * 4, e_ch * 8]
            # 'SAME' for stride 2, k 5 on even sizes pads 1 before, 2 after: asymmetric, as TF does.
            self.downs = tnn.ModuleList(tnn.Conv2d(chans[i], chans[i + 1], 5, stride=2) for i in range(4))
            self.dense1 = tnn.Linear(lowest * lowest * e_ch * 8, ae_ch)
            self.dense2 = tnn.Linear(ae_ch, lowest * lowest * ae_ch)
            self.inter_up = Up(ae_ch, ae_ch)
            self.ups = tnn.ModuleList([Up(ae_ch, d_ch * 8), Up(d_ch * 8, d_ch * 4), Up(d_ch * 4, d_ch * 2)])
            self.res = tnn.ModuleList([Res(d_ch * 8), Res(d_ch * 4), Res(d_ch * 2)])
            self.out = tnn.Conv2d(d_ch * 2, 3, 1)
            self.mups = tnn.ModuleList([Up(ae_ch, dm_ch * 8), Up(dm_ch * 8, dm_ch * 4), Up(dm_ch * 4, dm_ch * 2)])
            self.outm = tnn.Conv2d(dm_ch * 2, 1, 1)
            with torch.no_grad():
                for p in self.parameters():
                    if p.dim() > 1:
                        p.mul_(2.5)

        def forward(self, face):
            x = face.permute(0, 3, 1, 2)
            for d in self.downs:
                x = F.leaky_relu(d(F.pad(x, (1, 2, 1, 2))), 0.1)
            x = torch.flatten(x, 1)
            x = x * torch.rsqrt(torch.mean(x * x, dim=-1, keepdim=True) + 1e-6)
            z = self.inter_up(self.dense2(self.dense1(x)).reshape(-1, ae_ch, lowest, lowest))
            y = z
            for up, r in zip(self.ups, self.res):
                y = r(up(y))
            y = torch.sigmoid(self.out(y))
            m = z
            for up in self.mups:
                m = up(m)
            m = torch.sigmoid(self.outm(m))
            return m.permute(0, 2, 3, 1), y.permute(0, 2, 3, 1), m.permute(0, 2, 3, 1)

    net = Net().eval()
    dummy = torch.zeros(1, res, res, 3)
    torch.onnx.export(net, (dummy,), path, input_names=["in_face:0"], output_names=OUTPUTS,
                      opset_version=spec["opset"], dynamic_axes={"in_face:0": {0: "n"}}, dynamo=False)


def export_torch_saehd(spec, path):
    """SAEHD df / liae with DFL's options, layer for layer in PyTorch (NCHW, DFL's DCR depth-to-space spelled as
    reshape → transpose → reshape, the form DFL's CPU export writes). Used for the full-size benchmark replicas:
    tf2onnx needs more than this machine's 23 GB to convert 150 M-parameter frozen graphs."""
    import torch
    from torch import nn as tnn
    import torch.nn.functional as F

    torch.manual_seed(spec["seed"])
    res, (e_ch, ae_ch, d_ch, dm_ch) = spec["res"], spec["dims"]
    archi, opts = spec["kind"].split("-")
    t, d = "t" in opts, "d" in opts
    lowest = res // (32 if d else 16)

    def d2s(x, b=2):
        n, c, h, w = x.shape
        x = x.reshape(-1, b, b, c // (b * b), h, w).permute(0, 3, 4, 1, 5, 2)
        return x.reshape(-1, c // (b * b), h * b, w * b)

    class Down(tnn.Module):
        def __init__(self, i, o):
            super().__init__()
            self.conv = tnn.Conv2d(i, o, 5, stride=2)

        def forward(self, x):
            return F.leaky_relu(self.conv(F.pad(x, (1, 2, 1, 2))), 0.1)  # TF 'SAME' on even sizes

    class Up(tnn.Module):
        def __init__(self, i, o):
            super().__init__()
            self.conv = tnn.Conv2d(i, o * 4, 3, padding=1)

        def forward(self, x):
            return d2s(F.leaky_relu(self.conv(x), 0.1))

    class Res(tnn.Module):
        def __init__(self, c):
            super().__init__()
            self.a, self.b = tnn.Conv2d(c, c, 3, padding=1), tnn.Conv2d(c, c, 3, padding=1)

        def forward(self, x):
            return F.leaky_relu(x + self.b(F.leaky_relu(self.a(x), 0.2)), 0.2)

    class Encoder(tnn.Module):
        def __init__(self):
            super().__init__()
            if t:
                self.layers = tnn.Sequential(Down(3, e_ch), Res(e_ch), Down(e_ch, e_ch * 2), Down(e_ch * 2, e_ch * 4),
                                             Down(e_ch * 4, e_ch * 8), Down(e_ch * 8, e_ch * 8), Res(e_ch * 8))
            else:
                chans = [3, e_ch, e_ch * 2, e_ch * 4, e_ch * 8]
                self.layers = tnn.Sequential(*[Down(chans[i], chans[i + 1]) for i in range(4)])

        def forward(self, x):
            x = torch.flatten(self.layers(x), 1)
            return x * torch.rsqrt(torch.mean(x * x, dim=-1, keepdim=True) + 1e-6) if "u" in opts else x

    enc_out = (res // (32 if t else 16)) ** 2 * e_ch * 8

    class Inter(tnn.Module):
        def __init__(self, out_ch):
            super().__init__()
            self.out_ch = out_ch
            self.dense1, self.dense2 = tnn.Linear(enc_out, ae_ch), tnn.Linear(ae_ch, lowest * lowest * out_ch)
            self.up = None if t else Up(out_ch, out_ch)

        def forward(self, x):
            x = self.dense2(self.dense1(x)).reshape(-1, self.out_ch, lowest, lowest)
            return x if t else self.up(x)

    class Decoder(tnn.Module):
        def __init__(self, in_ch):
            super().__init__()
            chans = [d_ch * 8, d_ch * 8, d_ch * 4, d_ch * 2] if t else [d_ch * 8, d_ch * 4, d_ch * 2]
            mchans = ([dm_ch * 8, dm_ch * 8, dm_ch * 4, dm_ch * 2] if t else [dm_ch * 8, dm_ch * 4, dm_ch * 2]) + ([dm_ch] if d else [])
            self.ups = tnn.ModuleList(Up(a, b) for a, b in zip([in_ch] + chans[:-1], chans))
            self.res = tnn.ModuleList(Res(c) for c in chans)
            self.outs = tnn.ModuleList([tnn.Conv2d(d_ch * 2, 3, 1)] + ([tnn.Conv2d(d_ch * 2, 3, 3, padding=1) for _ in range(3)] if d else []))
            self.mups = tnn.ModuleList(Up(a, b) for a, b in zip([in_ch] + mchans[:-1], mchans))
            self.outm = tnn.Conv2d(mchans[-1], 1, 1)

        def face(self, z):
            x = z
            for up, r in zip(self.ups, self.res):
                x = r(up(x))
            if d:
                return torch.sigmoid(d2s(torch.cat([o(x) for o in self.outs], 1)))
            return torch.sigmoid(self.outs[0](x))

        def mask(self, z):
            m = z
            for up in self.mups:
                m = up(m)
            return torch.sigmoid(self.outm(m))

    class Net(tnn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = Encoder()
            if archi == "liae":
                self.inter_ab, self.inter_b = Inter(ae_ch * 2), Inter(ae_ch * 2)
                self.decoder = Decoder(ae_ch * 4)
            else:
                self.inter = Inter(ae_ch)
                self.decoder_src, self.decoder_dst = Decoder(ae_ch), Decoder(ae_ch)

        def forward(self, face):
            e = self.encoder(face.permute(0, 3, 1, 2))
            if archi == "liae":
                ab, b = self.inter_ab(e), self.inter_b(e)
                swap, own = torch.cat([ab, ab], 1), torch.cat([b, ab], 1)
                out = (self.decoder.mask(own), self.decoder.face(swap), self.decoder.mask(swap))
            else:
                code = self.inter(e)
                out = (self.decoder_dst.mask(code), self.decoder_src.face(code), self.decoder_src.mask(code))
            return tuple(o.permute(0, 2, 3, 1) for o in out)

    net = Net().eval()
    torch.onnx.export(net, (torch.zeros(1, res, res, 3),), path, input_names=["in_face:0"], output_names=OUTPUTS,
                      opset_version=spec["opset"], dynamic_axes={"in_face:0": {0: "n"}}, dynamo=False)


# Small test replicas: (e_ch, ae_ch, d_ch, d_mask_ch). Full-size ones only with --full (benchmarks).
SMALL = [
    dict(name="saehd_df_ud_96_op12", kind="df-ud", res=96, dims=(4, 32, 4, 4), format="NCHW", opset=12,
         graph_name="SAEHD", seed=1),
    dict(name="saehd_liae_udt_128_op13", kind="liae-udt", res=128, dims=(4, 32, 4, 4), format="NCHW", opset=13,
         graph_name="SAEHD", seed=2, cpu_d2s=True, fp16_weights=True),
    dict(name="amp_64_nhwc_op13", kind="amp", res=64, dims=(4, 32, 4, 4), format="NHWC", opset=13,
         graph_name="AMP", seed=3),
    dict(name="torch_df_u_64_op13", kind="torch", res=64, dims=(4, 32, 4, 4), opset=13, seed=4),
]
FULL = [  # DeepFaceLive's recommended widths (notes §4); built through PyTorch (see export_torch_saehd)
    dict(name="saehd_liae_udt_224", kind="liae-udt", res=224, dims=(64, 512, 64, 32), opset=13, seed=5, torch_saehd=True),
    dict(name="saehd_df_ud_224", kind="df-ud", res=224, dims=(64, 512, 64, 22), opset=13, seed=6, torch_saehd=True),
]


def store_weights_fp16(path):
    """Rewrites every large fp32 initializer as fp16 + Cast (as fp16-compressed exports do); halves the file."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(path)
    graph = model.graph
    casts, keep = [], []
    for init in graph.initializer:
        values = numpy_helper.to_array(init)
        if values.dtype != np.float32 or values.size < 64:
            keep.append(init)
            continue
        keep.append(numpy_helper.from_array(values.astype(np.float16), init.name + "_fp16"))
        casts.append(helper.make_node("Cast", [init.name + "_fp16"], [init.name], to=onnx.TensorProto.FLOAT))
    del graph.initializer[:]
    graph.initializer.extend(keep)
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.save(model, path)


def aligned_face(res):
    """The astronaut's face, BGR 0..1, 1×res×res×3."""
    from PIL import Image

    img = Image.open(FACE).convert("RGB").crop(FACE_BOX).resize((res, res), Image.BILINEAR)
    rgb = np.asarray(img, dtype=np.float32) / 255.0
    return np.ascontiguousarray(rgb[None, :, :, ::-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "Tests", "Fixtures", "onnx"))
    parser.add_argument("--full", action="store_true", help="build the full-size benchmark replicas instead")
    parser.add_argument("--only", help="build only the model with this name")
    args = parser.parse_args()
    import onnx
    import onnxruntime as ort

    os.makedirs(args.out, exist_ok=True)
    for spec in FULL if args.full else SMALL:
        if args.only and spec["name"] != args.only:
            continue
        path = os.path.join(args.out, spec["name"] + ".dfm")
        if spec.get("torch_saehd"):
            export_torch_saehd(spec, path)
        elif spec["kind"] == "torch":
            export_torch(spec, path)
        else:
            export_tf(spec, path)
        if spec.get("fp16_weights"):
            store_weights_fp16(path)
        onnx.checker.check_model(onnx.load(path))
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        feeds = {"in_face:0": aligned_face(spec["res"])}
        if spec["kind"] == "amp":
            feeds["morph_value:0"] = np.array([0.75], dtype=np.float32)
        outs = session.run(None, feeds)
        if args.full:
            print(f"{spec['name']}: {os.path.getsize(path) / 1e6:.1f} MB")
            continue
        for key, value in feeds.items():
            np.save(os.path.join(args.out, f"{spec['name']}_{key[:-2]}.npy"), value)
        for k, value in enumerate(outs):
            np.save(os.path.join(args.out, f"{spec['name']}_out_{k}.npy"), value.astype(np.float32))
        ops = sorted({n.op_type for n in onnx.load(path).graph.node})
        stats = ", ".join(f"{o.shape[1:]} {o.min():.3f}..{o.max():.3f} σ{o.std():.3f}" for o in outs)
        print(f"{spec['name']}: {os.path.getsize(path) / 1e3:.0f} kB; {stats}; ops {' '.join(ops)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
