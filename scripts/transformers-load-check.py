#!/usr/bin/env python3
"""Checks that checkpoints aha writes load in Hugging Face transformers and compute aha's numbers.

Usage (see README.md, "Checkpoints in transformers"):
    make interop-check AHA_TORCH_PYTHON=/path/to/python      # a python with torch + transformers
    AHA_TORCH_PYTHON=/path/to/python make interop-check       # the same
    /path/to/python scripts/transformers-load-check.py [--keep DIR] [--checkpoint DIR]...

For each case (qwen2 and llama, F32 and BF16 weights, tied head, plus two untied ones):
1. `scripts/aha model init` writes a small random checkpoint into a temporary folder;
2. transformers.AutoModelForCausalLM loads it in float32 with output_loading_info=True: any
   missing, unexpected or mismatched key or error message fails the case, and so does a config
   value transformers reads differently from config.json (rope theta, eps, tying, bias);
3. transformers.AutoTokenizer encodes a few strings (tags, chat tokens, multi-byte characters) to
   the ids `scripts/aha model tokenize` gives, its eos/pad tokens agree with
   generation_config.json, and apply_chat_template renders a conversation as aha does;
4. per-token log-probs of sequences of several lengths, from transformers in float32 and from
   `scripts/aha model score` (which pads them into one batch), differ by at most 1e-4, on the
   folder as aha wrote it and on a "sharpened" copy: init's weights (std 0.02, zero biases, unit
   norms) give almost flat attention and logits, under which a wrong rope or a dropped bias would
   barely show, so the copy scales the weights by 10 and draws biases and norm gains at random
   (same names, shapes and dtype).
--checkpoint adds a trained folder (a run's SFT or GRPO student), checked by 2 to 4 as written.
Prints one line per case and exits 1 if any case fails (2 if aha itself failed to run).
The JVM side runs through scripts/aha, which keeps DJL offline.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AHA = os.path.join(ROOT, "scripts", "aha")
TOLERANCE = 1e-4
# digits, arithmetic, letters, punctuation, whitespace, and three multi-byte characters (the
# byte-level BPE needs merges for those)
ALPHABET = (
    "0123456789+-*/=()<>.,:;!?' \nabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    + "\u00d7\u221a\u00e9"
)
SIZE = ["--hidden", "64", "--layers", "2", "--heads", "4", "--kv-heads", "2", "--ffn", "160",
        "--max-positions", "256"]
CASES = [  # (arch, dtype, tied)
    ("qwen2", "F32", True),
    ("qwen2", "BF16", True),
    ("llama", "F32", True),
    ("llama", "BF16", True),
    ("qwen2", "F32", False),
    ("llama", "BF16", False),
]
TEXTS = [
    "12+30=42",
    "Using 3, 5, 7 make 22.\n<think>5*3=15, 15+7=22</think> <answer>5*3+7</answer>",
    "  two  spaces, a tab-free line\n\nand a blank one",
    "<|im_start|>user\nhi<|im_end|>\n<|endoftext|>",
    "\u221a9 = 3, 2\u00d73 = 6, caf\u00e9",
]
CONVERSATION = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "What is 2+3?"},
    {"role": "assistant", "content": "<think>2+3=5</think> <answer>5</answer>"},
    {"role": "user", "content": "And 7*6?"},
]
LENGTHS = [2, 5, 17, 64, 200]


class CaseFailure(Exception):
    """One check of one case went wrong; the message says which and how."""


def aha(*args):
    """Runs scripts/aha; its own failure is not a transformers mismatch, so it stops the run."""
    proc = subprocess.run([AHA, *args], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        print(f"scripts/aha {' '.join(args[:2])} failed with exit {proc.returncode}", file=sys.stderr)
        sys.exit(2)
    return proc.stdout


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def check_model(ckpt):
    model, info = AutoModelForCausalLM.from_pretrained(ckpt, output_loading_info=True, dtype=torch.float32)
    problems = {k: v for k, v in info.items() if v}
    if problems:
        raise CaseFailure(f"loading reported {problems}")
    with open(os.path.join(ckpt, "config.json")) as f:
        cfg = json.load(f)
    c = model.config
    rope = (getattr(c, "rope_parameters", None) or {}).get("rope_theta", getattr(c, "rope_theta", None))
    attn = model.model.layers[0].self_attn
    want_bias = cfg["model_type"] == "qwen2" or cfg.get("attention_bias", False)
    tied = model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()
    read_back = {
        "architecture": (type(model).__name__, cfg["architectures"][0]),
        "rope_theta": (rope, cfg["rope_theta"]),
        "rms_norm_eps": (c.rms_norm_eps, cfg["rms_norm_eps"]),
        "tied head": (tied, cfg["tie_word_embeddings"]),
        "q_proj bias": (attn.q_proj.bias is not None, want_bias),
        "head_dim": (attn.head_dim, cfg["hidden_size"] // cfg["num_attention_heads"]),
        "dtype": (model.dtype, torch.float32),
    }
    wrong = {k: v for k, v in read_back.items() if v[0] != v[1]}
    if wrong:
        raise CaseFailure(f"transformers read config.json differently (got, expected): {wrong}")
    return model.eval()


def check_tokenizer(ckpt, work):
    """Ids, special tokens and the chat template; returns the tokenizer class name and a note."""
    tok = AutoTokenizer.from_pretrained(ckpt)
    rows = [{"id": i, "text": t} for i, t in enumerate(TEXTS)]
    for gen in (False, True):
        rows.append({"id": f"chat-{gen}", "messages": CONVERSATION, "add_generation_prompt": gen})
    write_jsonl(os.path.join(work, "texts.jsonl"), rows)
    aha("model", "tokenize", "--checkpoint", ckpt, "--input", os.path.join(work, "texts.jsonl"),
        "--output", os.path.join(work, "ids.jsonl"))
    ours = {r["id"]: r for r in read_jsonl(os.path.join(work, "ids.jsonl"))}
    for i, text in enumerate(TEXTS):
        theirs = tok.encode(text, add_special_tokens=False)
        if theirs != ours[i]["input_ids"]:
            raise CaseFailure(f"text {i} {text!r}: transformers ids {theirs} != aha ids {ours[i]['input_ids']}")
        # a character outside a trained student's alphabet is dropped (by aha too): expect it gone
        added = tok.get_added_vocab()
        pieces = re.split("(" + "|".join(map(re.escape, sorted(added, key=len, reverse=True))) + ")", text)
        kept = "".join(p if p in added else "".join(c for c in p if tok.encode(c, add_special_tokens=False))
                       for p in pieces)
        if tok.decode(theirs) != kept:
            raise CaseFailure(f"text {i} {text!r} decodes to {tok.decode(theirs)!r} in transformers")

    gen = GenerationConfig.from_pretrained(ckpt)
    eos = gen.eos_token_id if isinstance(gen.eos_token_id, list) else [gen.eos_token_id]
    if tok.eos_token_id not in eos:
        raise CaseFailure(f"tokenizer eos {tok.eos_token!r}={tok.eos_token_id} not in generation_config eos {eos}")
    if tok.pad_token_id != gen.pad_token_id:
        raise CaseFailure(f"tokenizer pad id {tok.pad_token_id} != generation_config pad_token_id {gen.pad_token_id}")
    for t in (tok.eos_token, tok.pad_token):
        if tok.convert_tokens_to_ids(t) != tok.encode(t, add_special_tokens=False)[0]:
            raise CaseFailure(f"special token {t!r} is not one token")

    if not tok.chat_template:
        return type(tok).__name__, "no chat_template, chat check skipped"
    for gen_prompt in (False, True):
        theirs = tok.apply_chat_template(CONVERSATION, tokenize=False, add_generation_prompt=gen_prompt)
        mine = ours[f"chat-{gen_prompt}"]
        if theirs != mine["text"]:
            raise CaseFailure(f"chat template (add_generation_prompt={gen_prompt}): transformers "
                              f"{theirs!r} != aha {mine['text']!r}")
        if tok.encode(theirs, add_special_tokens=False) != mine["input_ids"]:
            raise CaseFailure(f"chat ids differ (add_generation_prompt={gen_prompt})")
    return type(tok).__name__, "chat template equal"


def sharpened(ckpt, seed):
    """A copy of ckpt whose weights make attention and logits far from uniform (see the docstring)."""
    out = ckpt + "-sharpened"
    shutil.copytree(ckpt, out)
    path = os.path.join(out, "model.safetensors")
    g = torch.Generator().manual_seed(seed)
    tensors = {}
    for name, t in load_file(path).items():
        x = t.float()
        if name.endswith("norm.weight"):
            x = 1 + 0.2 * torch.randn(x.shape, generator=g)
        elif name.endswith(".bias"):
            x = 0.5 * torch.randn(x.shape, generator=g)
        else:
            x = 10 * x
        tensors[name] = x.to(t.dtype).contiguous()
    save_file(tensors, path, metadata={"format": "pt"})
    return out


def check_logprobs(ckpt, work, seed):
    model = check_model(ckpt)
    rng = random.Random(seed)
    vocab = model.config.vocab_size
    seqs = [[rng.randrange(vocab) for _ in range(n)] for n in LENGTHS]
    seqs.append(read_jsonl(os.path.join(work, "ids.jsonl"))[1]["input_ids"])  # real text
    write_jsonl(os.path.join(work, "seqs.jsonl"), [{"id": i, "input_ids": s} for i, s in enumerate(seqs)])
    aha("model", "score", "--checkpoint", ckpt, "--input", os.path.join(work, "seqs.jsonl"),
        "--output", os.path.join(work, "scores.jsonl"))
    ours = {r["id"]: r["logprobs"] for r in read_jsonl(os.path.join(work, "scores.jsonl"))}
    worst, tokens, spread = 0.0, 0, []
    with torch.no_grad():
        for i, s in enumerate(seqs):
            ids = torch.tensor([s])
            logits = model(input_ids=ids).logits.float()
            lp = torch.log_softmax(logits[0, :-1], dim=-1).gather(1, ids[0, 1:, None])[:, 0]
            mine = torch.tensor(ours[i], dtype=torch.float32)
            if mine.shape != lp.shape:
                raise CaseFailure(f"sequence {i}: aha gave {mine.numel()} log-probs, expected {lp.numel()}")
            worst = max(worst, (mine - lp).abs().max().item())
            tokens += lp.numel()
            spread.append(lp)
    # how far from a uniform guess the model is: shows whether the comparison can see anything
    return worst, tokens, torch.cat(spread).std().item()


def run_case(arch, dtype, tied, seed, root):
    name = f"{arch:5s} {dtype:4s} {'tied' if tied else 'untied'}"
    work = os.path.join(root, f"{arch}-{dtype}-{'tied' if tied else 'untied'}")
    ckpt = os.path.join(work, "checkpoint")
    os.makedirs(work)
    aha("model", "init", "--output", ckpt, "--arch", arch, "--dtype", dtype, "--seed", str(seed),
        "--alphabet", ALPHABET, *SIZE, *([] if tied else ["--untied"]))
    try:
        model = check_model(ckpt)
        tok_class, chat = check_tokenizer(ckpt, work)
        worst, tokens, std = check_logprobs(ckpt, work, seed)
        sharp, _, sharp_std = check_logprobs(sharpened(ckpt, seed), work, seed)
    except CaseFailure as e:
        print(f"FAIL {name}: {e}")
        return False
    ok = max(worst, sharp) <= TOLERANCE
    print(f"{'PASS' if ok else 'FAIL'} {name}: {type(model).__name__} loaded with no missing/unexpected/"
          f"mismatched keys; {tok_class} ids equal on {len(TEXTS)} texts, {chat}; log-probs max |diff| "
          f"{worst:.2e} as written (std of log-probs {std:.2f}), {sharp:.2e} sharpened (std {sharp_std:.2f}), "
          f"{tokens} tokens each (limit {TOLERANCE:g})")
    return ok


def run_trained(ckpt, root):
    """An existing checkpoint (e.g. the SFT or GRPO student of a run): load, tokenizer, log-probs as
    written; the folder is only read (the work files go to root)."""
    work = os.path.join(root, "trained")
    os.makedirs(work)
    try:
        model = check_model(ckpt)
        tok_class, chat = check_tokenizer(ckpt, work)
        worst, tokens, std = check_logprobs(ckpt, work, 7)
    except CaseFailure as e:
        print(f"FAIL {ckpt}: {e}")
        return False
    ok = worst <= TOLERANCE
    print(f"{'PASS' if ok else 'FAIL'} {ckpt}: {type(model).__name__} loaded with no missing/unexpected/"
          f"mismatched keys; {tok_class} ids equal on {len(TEXTS)} texts, {chat}; log-probs max |diff| "
          f"{worst:.2e} (std of log-probs {std:.2f}), {tokens} tokens (limit {TOLERANCE:g})")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", help="write the cases into this folder and keep it (default: a temp folder)")
    ap.add_argument("--checkpoint", action="append", default=[],
                    help="also check this trained checkpoint folder as written (repeatable), "
                         "e.g. datasets/countdown-tiny/05-grpo/checkpoint")
    args = ap.parse_args()
    torch.set_num_threads(1)  # small models; leave the other cores to whatever else runs
    torch.manual_seed(0)
    print(f"transformers {transformers.__version__}, torch {torch.__version__}, python {sys.version.split()[0]}")
    root = args.keep or tempfile.mkdtemp(prefix="aha-interop-")
    if args.keep:
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
    try:
        results = [run_case(a, d, t, seed, root) for seed, (a, d, t) in enumerate(CASES, start=11)]
        for i, ckpt in enumerate(args.checkpoint):
            results.append(run_trained(os.path.abspath(ckpt), os.path.join(root, f"given-{i}")))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    failed = results.count(False)
    print(f"{len(results) - failed}/{len(results)} cases pass" + ("" if not failed else "; see FAIL lines above"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
