#!/usr/bin/env python3
"""PyTorch eager twin of aha.model.ModelBenchmark: the same Qwen2-style decoder (d=128, 4 layers,
4 heads, 2 KV heads, SwiGLU 352, tied 64-token vocabulary), the same measurements (training
forward+backward tokens/s and 6*N*tokens/s, KV-cache generation tokens/s at batch 1, 8, 32).

Usage: PYTHON scripts/bench-model-torch.py [batch seq steps threads] [--interop=N] [--windows=K] [--warmup=S,G]
       PYTHON scripts/bench-model-torch.py batch seq steps threads --interop=N --serve
Alone it prints the best of K timing windows per measurement (steps training steps per window;
3 generations of 64 new tokens per window). With --serve, aha.model.ModelBenchmark drives it:
one request per stdin line ('train', 'gen B'), one tokens/s figure per line, so that the two
engines are timed in alternating windows on a shared machine. threads 0 = torch's default.
"""
import os
import sys
import time

import torch
import torch.nn.functional as F

V, D, L, H, KV, FFN, MAXPOS = 64, 128, 4, 4, 2, 352, 1024
HD = D // H


def params(seed=1):
    g = torch.Generator().manual_seed(seed)
    rnd = lambda *s: (torch.randn(*s, generator=g) * 0.02).requires_grad_()
    p = {"embed": rnd(V, D), "norm": torch.ones(D, requires_grad=True), "layers": []}
    for _ in range(L):
        p["layers"].append({
            "in": torch.ones(D, requires_grad=True), "post": torch.ones(D, requires_grad=True),
            "q": rnd(D, D), "qb": torch.zeros(D, requires_grad=True),
            "k": rnd(KV * HD, D), "kb": torch.zeros(KV * HD, requires_grad=True),
            "v": rnd(KV * HD, D), "vb": torch.zeros(KV * HD, requires_grad=True),
            "o": rnd(D, D), "gate": rnd(FFN, D), "up": rnd(FFN, D), "down": rnd(D, FFN)})
    return p


def all_tensors(p):
    out = [p["embed"], p["norm"]]
    for l in p["layers"]:
        out += list(l.values())
    return out


inv_freq = 1.0 / (10000.0 ** (torch.arange(0, HD, 2, dtype=torch.float64) / HD))
ang = torch.arange(MAXPOS, dtype=torch.float64)[:, None] * inv_freq[None, :]
COS = torch.cat([ang.cos(), ang.cos()], -1).float()
SIN = torch.cat([ang.sin(), ang.sin()], -1).float()


def rms(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * w


def rot(x):
    a, b = x.chunk(2, -1)
    return torch.cat([-b, a], -1)


def forward(p, ids, cache=None, past=0):
    b, s = ids.shape
    pos = torch.arange(past, past + s)
    cos, sin = COS[pos][None, None], SIN[pos][None, None]
    t = past + s
    mask = torch.full((s, t), float("-inf")).triu(past + 1)
    x = F.embedding(ids, p["embed"])
    for i, l in enumerate(p["layers"]):
        h = rms(x, l["in"])
        q = F.linear(h, l["q"], l["qb"]).view(b, s, H, HD).transpose(1, 2)
        k = F.linear(h, l["k"], l["kb"]).view(b, s, KV, HD).transpose(1, 2)
        v = F.linear(h, l["v"], l["vb"]).view(b, s, KV, HD).transpose(1, 2)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        if cache is not None:
            if cache[i] is not None:
                k, v = torch.cat([cache[i][0], k], 2), torch.cat([cache[i][1], v], 2)
            cache[i] = (k, v)
        k, v = k.repeat_interleave(H // KV, 1), v.repeat_interleave(H // KV, 1)
        att = (q @ k.transpose(-1, -2) / HD ** 0.5 + mask).softmax(-1) @ v
        x = x + F.linear(att.transpose(1, 2).reshape(b, s, D), l["o"])
        h = rms(x, l["post"])
        x = x + F.linear(F.silu(F.linear(h, l["gate"])) * F.linear(h, l["up"]), l["down"])
    return F.linear(rms(x, p["norm"]), p["embed"])


def set_threads(threads, interop):
    # interop threads can only be set before the first parallel op
    if interop:
        torch.set_num_interop_threads(interop)
    if threads:
        torch.set_num_threads(threads)


def train_tps(p, ids, steps, warmup):
    batch, seq = ids.shape
    for step in range(warmup + steps):
        if step == warmup:
            start = time.perf_counter()
        logits = forward(p, ids)
        lp = logits[:, :-1].log_softmax(-1).gather(-1, ids[:, 1:, None]).squeeze(-1)
        (-lp.mean()).backward()
        for t in all_tensors(p):
            t.grad = None
    return steps * batch * seq / (time.perf_counter() - start)


def generate_tps(p, prompt, runs=3, new=64):
    def run():
        cache = [None] * L
        logits = forward(p, prompt, cache, 0)
        past = prompt.shape[1]
        for _ in range(new):
            nxt = torch.multinomial(logits[:, -1].softmax(-1), 1)
            logits = forward(p, nxt, cache, past)
            past += 1
    with torch.no_grad():
        start = time.perf_counter()
        for _ in range(runs):
            run()
        return runs * new * prompt.shape[0] / (time.perf_counter() - start)


class Bench:
    """The measurements, each warmed up on first use; one call is one timing window."""

    def __init__(self, batch, seq, steps, warmup_steps=20, warmup_generations=3):
        torch.manual_seed(0)
        self.p = params()
        self.n = sum(t.numel() for t in all_tensors(self.p))
        self.ids = torch.randint(0, V, (batch, seq))
        self.steps = steps
        self.warmup_steps, self.warmup_generations = warmup_steps, warmup_generations
        self.prompts = {}

    def train(self):
        warm = 0 if self.prompts.get("trained") else self.warmup_steps
        self.prompts["trained"] = True
        return train_tps(self.p, self.ids, self.steps, warm)

    def generate(self, b):
        if b not in self.prompts:
            self.prompts[b] = torch.randint(0, V, (b, 16))
            generate_tps(self.p, self.prompts[b], runs=self.warmup_generations)
        return generate_tps(self.p, self.prompts[b])


def header(bench):
    return (f"torch {torch.__version__}: params={bench.n:,} threads={torch.get_num_threads()} "
            f"interop={torch.get_num_interop_threads()} load={os.getloadavg()[0]:.1f}")


def serve(bench):
    """One line per request on stdin: 'train' or 'gen B'; answers tokens/s on stdout."""
    print(header(bench), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        tps = bench.train() if words[0] == "train" else bench.generate(int(words[1]))
        print(f"{tps:.1f}", flush=True)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "1") for a in sys.argv[1:] if a.startswith("--"))
    batch, seq, steps = (int(a) for a in (args[0:3] + ["16", "128", "10"][len(args[0:3]):]))
    threads = int(args[3]) if len(args) > 3 else 0
    set_threads(threads, int(flags.get("interop", "0")))
    warmup = [int(x) for x in flags.get("warmup", "20,3").split(",")]
    bench = Bench(batch, seq, steps, *warmup)
    if "serve" in flags:
        serve(bench)
        return
    windows = int(flags.get("windows", "5"))
    print(header(bench))
    best = max(bench.train() for _ in range(windows))
    print(f"train fwd+bwd: batch={batch} seq={seq}  {best:.0f} tokens/s  {6 * bench.n * best / 1e9:.1f} GFLOP/s"
          f"  (best of {windows} windows of {steps} steps)")
    for b in (1, 8, 32):
        best = max(bench.generate(b) for _ in range(windows))
        print(f"generate: batch={b} prompt=16 new=64  {best:.0f} tokens/s  (best of {windows})")


if __name__ == "__main__":
    main()
