"""Throughput and memory of a batch: --jobs 1 against --jobs 2, measured in the same run.

    python benchmarks/bench_batch.py [--filings 50] [--repeat 3] [--long-pages 650] [--write docs/benchmarks-batch.md]

A batch of generated prospectuses (tests/fixtures/prospectus_gen; the presets in turn, each padded to
a different length between 40 and 160 pages, so no two files are alike) is checked by
``checker.batch.run_batch`` with jobs=1 (in-process) and jobs=2 (worker pool), alternating, each run
in a fresh Python process with a cold cache (use_cache=False and an empty STARCHECK_CACHE_DIR).
Timed: run_batch only (interpreter start, imports and rule loading excluded; worker start-up
included). Memory: peak RSS of the process that ran run_batch (RUSAGE_SELF) and of its largest
worker (RUSAGE_CHILDREN, the maximum over the waited-for children). A fresh process that only
imports starcheck and loads the rules is measured as the memory baseline. Both runs' results are
compared (SHA-256 of every DocumentResult.model_dump()): they must be identical.

Target (issue 7): throughput jobs=2 / jobs=1 >= 1.7 on a machine with 2 free cores.
Also measured: one long filing (default 650 pages) checked in-process, peak RSS and seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import hashlib, json, resource, sys, time
from pathlib import Path
from checker.pipeline import CheckOptions
from checker.ruleset.loader import load_rules, ruleset_hash
specs = load_rules()
opts = CheckOptions(use_cache=False, ruleset_sha=ruleset_hash(specs), timeout=600)
jobs = int(sys.argv[1])
files = [Path(p) for p in json.loads(Path(sys.argv[2]).read_text())]
out = {}
if jobs > 0:
    from checker.batch import run_batch
    t = time.perf_counter()
    res = run_batch(files, specs, opts, jobs)
    out["seconds"] = time.perf_counter() - t
    out["statuses"] = sorted({r.status for r in res})
    out["errors"] = [r.error.code for r in res if r.error]
    out["pages"] = sum(r.pages for r in res)
    out["digest"] = hashlib.sha256(json.dumps([r.model_dump(mode="json") for r in res],
                                              sort_keys=True, ensure_ascii=False).encode()).hexdigest()
out["self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(out))
"""


def run(jobs: int, listing: Path, env: dict[str, str]) -> dict:
    cache = tempfile.mkdtemp(prefix="starcheck-bench-cache-")
    out = subprocess.run([sys.executable, "-c", WORKER, str(jobs), str(listing)], capture_output=True, text=True,
                         env=dict(env, STARCHECK_CACHE_DIR=cache), cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"benchmark worker failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def generate(n: int, tmp: Path) -> list[Path]:
    from tests.fixtures import prospectus_gen as gen

    presets = ["profitable_std1", "biotech_std5", "biotech_std5_no_disclosures", "revenue_misses_claimed_std4",
               "english_std1", "chinext_control", "sample"]
    files = []
    t = time.perf_counter()
    for i in range(n):
        name = presets[i % len(presets)]
        spec = gen.PRESETS[name]()
        pad = 40 + (i * 37) % 121  # 40..160 pages, varied
        from dataclasses import replace

        spec = replace(spec, pad_to_pages=pad)
        path = tmp / f"{i:02d}-{name}.pdf"
        gen.make_prospectus(spec, path)
        files.append(path)
    print(f"generated {n} filings in {time.perf_counter() - t:.0f}s", file=sys.stderr)
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filings", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--long-pages", type=int, default=650)
    ap.add_argument("--write", type=Path, help="also write the results (Markdown) to this file")
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix="starcheck-bench-batch-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    files = generate(args.filings, tmp)
    listing = tmp / "files.json"
    listing.write_text(json.dumps([str(f) for f in files]))

    base = run(0, listing, env)
    runs: dict[int, list[dict]] = {1: [], 2: []}
    for _ in range(args.repeat):
        for jobs in (1, 2):
            runs[jobs].append(run(jobs, listing, env))
    digests = {r["digest"] for rs in runs.values() for r in rs}
    pages = runs[1][0]["pages"]
    med = {j: statistics.median(r["seconds"] for r in rs) for j, rs in runs.items()}
    ratio = med[1] / med[2]

    from tests.fixtures import prospectus_gen as gen

    long_pdf = tmp / "long.pdf"
    planted = gen.make_prospectus(gen.long_filing(pages=args.long_pages), long_pdf)
    long_listing = tmp / "long.json"
    long_listing.write_text(json.dumps([str(long_pdf)]))
    long_run = run(1, long_listing, env)

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        f"## Batch of {len(files)} generated filings ({pages} pages in all), median of {args.repeat}, "
        f"cold cache, Python {sys.version.split()[0]}, {cpus} CPUs available", "",
        "| run | seconds | filings/s | pages/s | peak RSS, run_batch process (MB) | peak RSS, largest worker (MB) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| baseline: import starcheck + load rules, no checking | - | - | - | {base['self_mb']:.0f} | - |",
    ]
    for j in (1, 2):
        rs = runs[j]
        lines.append(f"| --jobs {j}{' (in-process)' if j == 1 else ' (worker pool)'} | {med[j]:.2f} | "
                     f"{len(files) / med[j]:.2f} | {pages / med[j]:.0f} | {max(r['self_mb'] for r in rs):.0f} | "
                     f"{'-' if j == 1 else format(max(r['children_mb'] for r in rs), '.0f')} |")
    lines += [
        "",
        "| measure | value | target | met |", "|---|---:|---:|---|",
        f"| throughput --jobs 2 / --jobs 1 | {ratio:.2f} | >= 1.7 (2 cores) | {'yes' if ratio >= 1.7 else 'NO'} |",
        f"| results identical across all runs (jobs 1 and 2) | {'yes' if len(digests) == 1 else 'NO'} | yes | "
        f"{'yes' if len(digests) == 1 else 'NO'} |",
        f"| filings with status error | {len(runs[1][0]['errors'])} | 0 | {'yes' if not runs[1][0]['errors'] else 'NO'} |",
        "",
        f"## One long filing ({planted.page_count} pages, {long_pdf.stat().st_size / 1e6:.1f} MB), checked in-process, cold",
        "",
        "| measure | value |", "|---|---:|",
        f"| seconds | {long_run['seconds']:.2f} |",
        f"| peak RSS (MB) | {long_run['self_mb']:.0f} |",
        f"| peak RSS above the baseline process (MB) | {long_run['self_mb'] - base['self_mb']:.0f} |",
        f"| status | {', '.join(long_run['statuses'])} |",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        args.write.write_text("# Batch benchmarks\n\nWritten by `python benchmarks/bench_batch.py --write "
                              "docs/benchmarks-batch.md`.\n\n" + text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
