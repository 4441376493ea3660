#!/usr/bin/env python3
"""PyTorch eager twin of aha.model.ModelBenchmark: the same Qwen2-style decoder (d=128, 4 layers,
4 heads, 2 KV heads, SwiGLU 352, tied 64-token vocabulary), the same measurements (training
forward+backward tokens/s and 6*N*tokens/s, KV-cache generation tokens/s at batch 1, 8, 32).

Usage: /usr/bin/python3 scripts/bench-model-torch.py [batch seq steps threads]
(Debian's python3-torch; call /usr/bin/python3, a pyenv python may lack torch.)
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


def main():
    batch, seq, steps = (int(a) for a in (sys.argv[1:4] + ["16", "128", "30"][len(sys.argv[1:4]):]))
    if len(sys.argv) > 4:
        torch.set_num_threads(int(sys.argv[4]))
    p = params()
    n = sum(t.numel() for t in all_tensors(p))
    print(f"torch {torch.__version__}: params={n:,} threads={torch.get_num_threads()} "
          f"load={os.getloadavg()[0]:.1f}")
    ids = torch.randint(0, V, (batch, seq))
    for step in range(3 + steps):
        if step == 3:
            start = time.perf_counter()
        logits = forward(p, ids)
        lp = logits[:, :-1].log_softmax(-1).gather(-1, ids[:, 1:, None]).squeeze(-1)
        (-lp.mean()).backward()
        for t in all_tensors(p):
            t.grad = None
    tps = steps * batch * seq / (time.perf_counter() - start)
    print(f"train fwd+bwd: batch={batch} seq={seq}  {tps:.0f} tokens/s  {6 * n * tps / 1e9:.1f} GFLOP/s")
    with torch.no_grad():
        for b in (1, 8, 32):
            prompt = torch.randint(0, V, (b, 16))
            def run():
                cache = [None] * L
                logits = forward(p, prompt, cache, 0)
                past = 16
                for _ in range(64):
                    nxt = torch.multinomial(logits[:, -1].softmax(-1), 1)
                    logits = forward(p, nxt, cache, past)
                    past += 1
            run()
            start = time.perf_counter()
            for _ in range(3):
                run()
            print(f"generate: batch={b} prompt=16 new=64  {3 * 64 * b / (time.perf_counter() - start):.0f} tokens/s")


if __name__ == "__main__":
    main()
