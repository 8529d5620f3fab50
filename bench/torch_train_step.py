#!/usr/bin/env python3
"""PyTorch eager reference for `salmon bench model`: the same Llama models (~1M and ~5M, context 512, tied
embeddings), the same step (forward, masked-free next-token loss, backward, global-norm clip, AdamW), timed the
same way (warm-up steps, then mean over timed steps). Prints one JSON object.

Debian's python3-torch links the slow reference BLAS; load OpenBLAS (OpenMP build) for a fair comparison:

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 \
        nice /usr/bin/python3 bench/torch_train_step.py --steps 6
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {  # must match ModelBench.oneM() / fiveM()
    "1m": dict(vocab=1024, hidden=128, layers=4, heads=4, kv=4, inter=352, ctx=512),
    "5m": dict(vocab=1024, hidden=256, layers=6, heads=8, kv=8, inter=688, ctx=512),
}


class RMSNorm(nn.Module):
    def __init__(self, h, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(h))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        h, hd = c["hidden"], c["hidden"] // c["heads"]
        self.c, self.hd = c, hd
        self.input_layernorm = RMSNorm(h)
        self.q = nn.Linear(h, c["heads"] * hd, bias=False)
        self.k = nn.Linear(h, c["kv"] * hd, bias=False)
        self.v = nn.Linear(h, c["kv"] * hd, bias=False)
        self.o = nn.Linear(c["heads"] * hd, h, bias=False)
        self.post = RMSNorm(h)
        self.gate = nn.Linear(h, c["inter"], bias=False)
        self.up = nn.Linear(h, c["inter"], bias=False)
        self.down = nn.Linear(c["inter"], h, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        c, hd = self.c, self.hd
        h = self.input_layernorm(x)
        q = self.q(h).view(b, t, c["heads"], hd).transpose(1, 2)
        k = self.k(h).view(b, t, c["kv"], hd).transpose(1, 2)
        v = self.v(h).view(b, t, c["kv"], hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        att = torch.softmax(q @ k.transpose(2, 3) / math.sqrt(hd) + mask, dim=-1)  # eager, like the DJL code
        x = x + self.o((att @ v).transpose(1, 2).reshape(b, t, -1))
        h = self.post(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Llama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed = nn.Embedding(c["vocab"], c["hidden"])
        self.layers = nn.ModuleList(Layer(c) for _ in range(c["layers"]))
        self.norm = RMSNorm(c["hidden"])
        hd = c["hidden"] // c["heads"]
        inv = 1.0 / (10000.0 ** (torch.arange(0, hd, 2).float() / hd))
        f = torch.outer(torch.arange(c["ctx"]).float(), inv)
        emb = torch.cat((f, f), -1)
        self.register_buffer("cos", emb.cos()[None, None])
        self.register_buffer("sin", emb.sin()[None, None])
        self.register_buffer("mask", torch.full((c["ctx"], c["ctx"]), -1e9).triu(1))

    def forward(self, ids):
        t = ids.shape[1]
        x = self.embed(ids)
        for layer in self.layers:
            x = layer(x, self.cos[:, :, :t], self.sin[:, :, :t], self.mask[:t, :t])
        return self.norm(x) @ self.embed.weight.T  # tied


def run(name, steps, rows):
    c = CONFIGS[name]
    torch.manual_seed(0)
    model = Llama(c)
    params = sum(p.numel() for p in model.parameters())
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.95))
    data = torch.randint(0, c["vocab"], (200_000,))

    def step():
        starts = torch.randint(0, len(data) - c["ctx"] - 1, (rows,))
        x = torch.stack([data[s:s + c["ctx"]] for s in starts])
        y = torch.stack([data[s + 1:s + 1 + c["ctx"]] for s in starts])
        loss = F.cross_entropy(model(x).view(-1, c["vocab"]), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    return params, steps * rows * c["ctx"] / seconds


def gemm(n=1024, reps=20):
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * n ** 3 * reps / (time.perf_counter() - start) / 1e9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--rows", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "gemm_gflops": round(gemm(), 3)}
    for name in ("1m", "5m"):
        params, tps = run(name, a.steps, a.rows)
        out["params_" + name] = params
        out["train_tokens_per_s_" + name] = round(tps, 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
