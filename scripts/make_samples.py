#!/usr/bin/env python3
"""Regenerate the bundled sample filing(s) in samples/.

samples/sample-prospectus-zh.pdf is a synthetic 申报稿 of an unprofitable biotech that claims
standard (五) of LR 2.1.2. It carries the special risk notice and the risk factor on
unprofitability but omits the analysis of its impact (尚未盈利或存在累计未弥补亏损对公司的影响), so a
check shows fails (the missing analysis), needs_review (standard (五) is not a numeric test) and
passes. Output is byte-for-byte reproducible.

Usage: python scripts/make_samples.py [--out samples]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.prospectus_gen import make_prospectus, sample_spec  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "samples", help="output folder (default: samples/)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "sample-prospectus-zh.pdf"
    planted = make_prospectus(sample_spec(), target)
    size_kb = target.stat().st_size / 1024
    summary = {
        "file": str(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target),
        "pages": planted.page_count,
        "size_kb": round(size_kb, 1),
        "claimed": planted.claimed,
        "unprofitable": planted.unprofitable,
        "planted_pages": {k: v for k, v in planted.pages.items() if not k.startswith("chapter:")},
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if size_kb > 200:
        print(f"warning: sample is {size_kb:.0f} KB (> 200 KB)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
