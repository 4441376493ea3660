#!/usr/bin/env python3
"""Checks that a cache written by `aha hub download` is the one huggingface_hub writes.

Usage (see docs/hub.md): run the fake Hub, fill JAVA_CACHE with `aha hub download`, then
    HF_ENDPOINT=http://127.0.0.1:18231 python3 scripts/hub-interop-check.py JAVA_CACHE PY_CACHE
1. huggingface_hub reads JAVA_CACHE offline (hf_hub_download / snapshot_download with
   local_files_only=True, scan_cache_dir without warnings);
2. huggingface_hub downloads the same repos from the fake Hub into PY_CACHE, and both caches
   must hold the same files, symlink targets, refs and trees/ listings (.locks aside).
Exit 0 when both hold.
"""
import os
import sys

from huggingface_hub import hf_hub_download, scan_cache_dir, snapshot_download

REPOS = [("org/tiny", "model"), ("org/tiny-data", "dataset")]


def layout(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if rel.startswith(".locks"):
                continue
            out[rel] = "link -> " + os.readlink(full) if os.path.islink(full) else open(full, "rb").read()
    return out


def main(java, py):
    ok = True
    print("offline file:", hf_hub_download("org/tiny", "model.safetensors", cache_dir=java, local_files_only=True))
    for repo, kind in REPOS:
        print("offline snapshot:", snapshot_download(repo, repo_type=kind, cache_dir=java, local_files_only=True))
    info = scan_cache_dir(java)
    if info.warnings:
        ok = False
        print("scan_cache_dir warnings:", info.warnings)
    for r in info.repos:
        print(f"  {r.repo_type} {r.repo_id}: {r.nb_files} files, {r.size_on_disk} bytes, refs {sorted(r.refs)}")
    for repo, kind in REPOS:
        snapshot_download(repo, repo_type=kind, cache_dir=py)
    a, b = layout(java), layout(py)
    only_java, only_py = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    different = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    print("only in the Java cache:", only_java)
    print("only in the Python cache:", only_py)
    print("different:", different)
    ok = ok and not only_java and not only_py and not different
    print("SAME LAYOUT" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
