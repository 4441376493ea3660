#!/usr/bin/env python3
"""Parity check of `scripts/aha verify` against Math-Verify (huggingface/Math-Verify).

Two subcommands:

  run      Math-Verify's verdicts on a cases file (DESIGN contract 5 input: {"id", "gold",
           "prediction"} per line), written as {"id", "verdict", "gold", "pred"} lines, and its
           throughput in cases per CPU-second of this process (one core: run it under taskset).
  compare  agreement between aha's verdicts (`scripts/aha verify --reasons`) and Math-Verify's,
           the disagreements one per line, and their count by case kind.

Math-Verify is not a dependency of aha: point PYTHONPATH at an installation of it
(`make verify-parity MATH_VERIFY_PYTHONPATH=...`, docs/verify.md says how ours was put together).

How Math-Verify is called, as its README recommends and open-r1 does: `parse(gold)` with the gold
wrapped in `$...$` when it has no math delimiters of its own (MATH-500 answers are bare LaTeX),
`parse(prediction)` with the default extraction (LaTeX then plain expressions), then
`verify(gold, prediction)`; each step under Math-Verify's own signal-based timeout. A gold that
parses to nothing gets the verdict null, as aha's contract has it for an unscorable gold.

Examples:
  PYTHONPATH=/tmp/mathverify taskset -c 0 python3 scripts/math-verify-parity.py run \
      --input target/parity/cases.jsonl --output target/parity/math-verify.jsonl
  python3 scripts/math-verify-parity.py compare --cases target/parity/cases.jsonl \
      --aha target/parity/aha.jsonl --math-verify target/parity/math-verify.jsonl
"""
import argparse
import collections
import json
import os
import re
import sys
import time

# $ (not the escaped dollar sign \$ of "\$18.90"), \( \[ or a box
DELIMITED = re.compile(r"(?<!\\)\$|\\\(|\\\[|\\boxed|\\fbox")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{n}: not a JSON object ({e.msg}).")


def gold_text(gold):
    """A bare LaTeX gold is read as math, as the MATH-500 README recommends for Math-Verify."""
    gold = str(gold)
    return gold if DELIMITED.search(gold) else f"${gold}$"


def shown(parsed):
    """Math-Verify's parse returns [sympy object, extracted string] or []: keep the string."""
    return str(parsed[-1]) if parsed else None


def run(args):
    try:
        from math_verify import parse, verify
    except ImportError:
        sys.exit("math_verify is not importable: set PYTHONPATH to a Math-Verify installation.")
    cases = list(read_jsonl(args.input))
    tmp = f"{args.output}.tmp{os.getpid()}"
    rows = []
    cpu = 0.0
    wall = 0.0
    for c in cases:
        w0, c0 = time.perf_counter(), time.process_time()
        gold = parse(gold_text(c["gold"]), parsing_timeout=args.timeout)
        if not gold:
            verdict, pred = None, []
        else:
            pred = parse(str(c["prediction"]), parsing_timeout=args.timeout)
            verdict = bool(verify(gold, pred, timeout_seconds=args.timeout))
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
        rows.append({"id": c["id"], "verdict": verdict, "gold": shown(gold), "pred": shown(pred)})
    with open(tmp, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, args.output)
    n = len(rows)
    counts = collections.Counter(r["verdict"] for r in rows)
    print(
        f"math-verify: {n} cases: {counts[True]} true, {counts[False]} false, {counts[None]} unscorable; "
        f"{n / cpu:,.1f} cases/s per CPU-second ({n / wall:,.1f} per wall-second) -> {args.output}"
    )


def compare(args):
    cases = {c["id"]: c for c in read_jsonl(args.cases)}
    ours = {r["id"]: r for r in read_jsonl(args.aha)}
    theirs = {r["id"]: r for r in read_jsonl(args.math_verify)}
    missing = [i for i in cases if i not in ours or i not in theirs]
    if missing:
        sys.exit(f"{len(missing)} case ids lack a verdict, e.g. {missing[0]}.")
    agree = 0
    by_kind = collections.Counter()
    lines = []
    for i, c in cases.items():
        a, m = ours[i].get("verdict"), theirs[i].get("verdict")
        if a == m:
            agree += 1
            continue
        kind = i.rsplit("/", 1)[-1]
        by_kind[f"{kind}: aha {json.dumps(a)}, math-verify {json.dumps(m)}"] += 1
        lines.append(
            f"{i}\tgold={c['gold']!r}\taha={json.dumps(a)} ({ours[i].get('reason', '')})\t"
            f"math-verify={json.dumps(m)} (gold {theirs[i].get('gold')!r}, pred {theirs[i].get('pred')!r})"
        )
    n = len(cases)
    print(f"agreement: {agree}/{n} = {100.0 * agree / n:.2f}% ({n - agree} disagreements)")
    for k, v in by_kind.most_common():
        print(f"  {v:5d}  {k}")
    if lines and args.list:
        print("disagreements:")
        for line in lines:
            print("  " + line)
    if args.min_agreement is not None and 100.0 * agree / n < args.min_agreement:
        sys.exit(f"agreement below {args.min_agreement}%.")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="Math-Verify's verdicts and throughput on a cases file")
    r.add_argument("--input", required=True)
    r.add_argument("--output", required=True)
    r.add_argument("--timeout", type=int, default=5, help="seconds per parse / verify (Math-Verify's default 5)")
    c = sub.add_parser("compare", help="agreement of aha's verdicts with Math-Verify's")
    c.add_argument("--cases", required=True)
    c.add_argument("--aha", required=True)
    c.add_argument("--math-verify", required=True)
    c.add_argument("--list", action=argparse.BooleanOptionalAction, default=True, help="print each disagreement")
    c.add_argument("--min-agreement", type=float, help="exit 1 when agreement (%%) is below this")
    args = p.parse_args()
    run(args) if args.cmd == "run" else compare(args)


if __name__ == "__main__":
    main()
