"""Cost near the floor (issue 14): `starcheck check` against pypdfium2's own text pass, same run, same file.

    python benchmarks/bench_cost.py [--pages 1100] [--repeat 5] [--batch 16] [--write docs/benchmarks.md]
    python benchmarks/bench_cost.py --quick          # a tiny run: that the script works (tests)

Every measurement is one fresh process, timed from its start to its exit (interpreter start and
imports included: what a person waits for), in rounds: each round runs every step of a document
once, so the steps of one round see the same machine load. Reported: the median over the rounds
(and the best), and ratios of medians.

  raw      python -c "pypdfium2: open, get_textpage + get_text_range for every page"   (the floor)
  cold     starcheck check FILE -f json -o OUT, a cache folder without this filing's facts (any new
           filing): it holds only what any earlier run of the installed version leaves, the rule pack
           (checker/engine/pack.py) and the compiled regular expressions (checker/recache.py); one
           priming run on the generated filing makes them, each cold run gets a copy
  first    the same on an empty cache folder: the first run after installing (the pack is built, every
           pattern compiled)
  cached   the cold run again on its folder (facts read back, rules re-run)
  in-proc  check_file() inside one process after imports, rules and engine are loaded (the work
           alone, as benchmarks/bench_extract.py measures it), cold then cached

Peak memory, of the process tree (the CLI and its worker process):
"max RSS" is the largest single process (wait4's rusage of the CLI: the maximum over it and every
descendant it reaped); "tree RSS" and "tree PSS" are the largest sums over the live processes of
the tree, sampled every 10 ms (RSS counts pages shared between processes once per process; PSS
splits them, so its sum is the tree's real footprint). The sampling reads /proc (smaps for PSS) and
so takes CPU from the run it watches, on a machine whose every core the run uses: the tree is sampled
in runs of their own (two cold and two cached per document, after the timed rounds), never in a
timed one.

Documents: (a) a generated filing of --pages pages (tests/fixtures/prospectus_gen.long_filing)
whose CJK font is embedded (a TrueType CJK font registered with reportlab; Debian's fonts-noto-cjk
ship only CFF outlines, which reportlab cannot embed, so fonts-wqy-zenhei is used: see
find_cjk_font; without one the report says the font is NOT embedded); (b) the real annual report in ../shared/realdata; (c) a real prospectus text
(../shared/realdata/B_text/star_prospectus_md_2025) laid out as a PDF, one source page per PDF page,
in the same embedded font; (d) the generated filing three times over (linear cost); and a batch of
--batch generated filings checked with --jobs 1 and --jobs 2 (throughput, identical results).

Targets: cold <= 2x raw on every document; cached <= 0.25 x cold; 3x the pages <= 3.3x the time;
peak memory <= 150 MB on the 1,000-page filing; batch --jobs 2 >= 1.8x the throughput of --jobs 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "realdata"
REAL_PDF = REAL / "A_pdf" / "寒武纪2025年年报.pdf"
REAL_MD = REAL / "B_text" / "star_prospectus_md_2025" / "688411_海博思创_招股书_正式稿_20250122.md"
FONT_NAME = "BenchCJK"

RAW = r"""
import sys, time
t = time.perf_counter()
import pypdfium2 as pdfium
doc = pdfium.PdfDocument(sys.argv[1]); n = 0
for i in range(len(doc)):
    page = doc[i]; tp = page.get_textpage(); n += len(tp.get_text_range()); tp.close(); page.close()
doc.close()
print(time.perf_counter() - t)
"""

INPROC = r"""
import sys, time, json
from pathlib import Path
from checker.pipeline import CheckOptions, check_file
from checker.ruleset.loader import load_rules, ruleset_hash
from checker.engine.durable_engine import DurableEngine
specs = load_rules()
DurableEngine([s for s in specs if s.status != "removed"])
opts = CheckOptions(use_cache=True, ruleset_sha=ruleset_hash(specs), max_pages=10000)
out = []
for _ in range(2):
    t = time.perf_counter(); r = check_file(Path(sys.argv[1]), specs, opts); out.append(time.perf_counter() - t)
    assert r.status == "checked", r.error
print(json.dumps(out))
"""


# ----------------------------------------------------------------------------------- running


@dataclass
class Run:
    seconds: float
    max_rss: float  # MB, largest single process
    tree_rss: float  # MB, largest sum over the tree
    tree_pss: float  # MB
    stdout: str = ""


def run(argv: list[str], env: dict[str, str], sample: bool = True) -> Run:
    """Run to completion, timing it and sampling the memory of its process tree."""
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    root = psutil.Process(proc.pid)
    tree_rss = tree_pss = 0.0
    last_pss = 0.0
    rusage = None
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if sample:
            try:
                procs = [root] + root.children(recursive=True)
                tree_rss = max(tree_rss, sum(_safe(p, "rss") for p in procs))
                if time.perf_counter() - last_pss > 0.03:
                    last_pss = time.perf_counter()
                    tree_pss = max(tree_pss, sum(_safe(p, "pss") for p in procs))
            except psutil.Error:
                pass
        time.sleep(0.01)
    seconds = time.perf_counter() - t0
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: the gate failed on findings, a normal outcome
        raise SystemExit(f"{' '.join(argv)} exited {code}:\n{err[-3000:]}")
    return Run(seconds, rusage.ru_maxrss / 1024, tree_rss / 2**20, tree_pss / 2**20, out)


def _safe(p: object, what: str) -> float:
    try:
        if what == "rss":
            return float(p.memory_info().rss)  # type: ignore[attr-defined]
        return float(p.memory_full_info().pss)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - the process ended between listing and reading
        return 0.0


def starcheck(pdf: Path, out: Path, extra: list[str] | None = None) -> list[str]:
    return [sys.executable, "-m", "checker", "check", str(pdf), "-f", "json", "-o", str(out), "-q",
            "--max-pages", "10000", *(extra or [])]


# ------------------------------------------------------------------------------- documents


def find_cjk_font() -> tuple[str, int] | None:
    """A CJK font file reportlab can embed (TrueType outlines), preferring fonts-wqy-zenhei; None if
    there is none (Noto CJK's CFF outlines are refused: "postscript outlines are not supported")."""
    from reportlab.pdfbase.ttfonts import TTFont

    candidates = ["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/arphic/uming.ttc"]
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=30).stdout
        candidates += [ln.split(":")[0].strip() for ln in listed.splitlines() if ln.strip()]
    except (OSError, subprocess.SubprocessError):
        pass
    for path in dict.fromkeys(candidates):
        if not Path(path).is_file():
            continue
        try:
            font = TTFont(FONT_NAME, path, subfontIndex=0)
        except Exception:  # noqa: BLE001 - CFF outlines, unreadable file
            continue
        if all(ord(c) in font.face.charToGlyph for c in "科创板招股说明书（）：，。1aA%"):
            return path, 0
    return None


def use_font(font: tuple[str, int] | None) -> str:
    """Register the font and make the generator draw with it; the font name drawn with."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from tests.fixtures import prospectus_gen as gen

    if font is None:
        return gen.CJK_FONT  # reportlab's built-in CID font: not embedded
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, font[0], subfontIndex=font[1]))
    gen.CJK_FONT = FONT_NAME
    gen._registered = True
    return FONT_NAME


def generated(pages: int, path: Path) -> Path:
    from tests.fixtures import prospectus_gen as gen

    gen.make_prospectus(gen.long_filing(pages=pages), path)
    return path


def tripled(src: Path, path: Path) -> Path:
    import pypdfium2 as pdfium

    doc, out = pdfium.PdfDocument(str(src)), pdfium.PdfDocument.new()
    for _ in range(3):
        out.import_pages(doc)
    out.save(str(path))
    return path


def markdown_as_pdf(md: Path, path: Path, font: str) -> Path:
    """A page-marked text export laid out again as a PDF: one source page per PDF page, each source
    line one printed line (shrunk to fit the width, the leading shrunk to fit the page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    from checker.extract.loader import _load_markdown

    doc = _load_markdown(md, md.read_text(encoding="utf-8"), "")
    w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    for page in doc.pages:
        lines = page.raw_lines or [" "]
        lead = min(15.0, (h - 100) / max(1, len(lines)))
        y = h - 50
        for ln in lines:
            size = min(10.5, lead * 0.8)
            width = pdfmetrics.stringWidth(ln, font, size)
            if width > w - 100:
                size = max(3.0, size * (w - 100) / width)
            c.setFont(font, size)
            c.drawString(50, y, ln)
            y -= lead
        c.showPage()
    c.save()
    return path


def batch_files(n: int, folder: Path) -> list[Path]:
    from tests.fixtures import prospectus_gen as gen

    presets = ["profitable_std1", "biotech_std5", "biotech_std5_no_disclosures", "revenue_misses_claimed_std4",
               "english_std1", "chinext_control", "sample"]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        name = presets[i % len(presets)]
        path = folder / f"{i:02d}-{name}.pdf"
        gen.make_prospectus(replace(gen.PRESETS[name](), pad_to_pages=40 + (i * 37) % 121), path)
        out.append(path)
    return out


def pages_of(pdf: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(pdf)))


# ------------------------------------------------------------------------------ measuring


@dataclass
class DocResult:
    label: str
    pdf: Path
    pages: int
    runs: dict[str, list[Run]] = field(default_factory=dict)
    inproc: list[tuple[float, float]] = field(default_factory=list)

    def med(self, k: str) -> float:
        return statistics.median(r.seconds for r in self.runs[k])

    def best(self, k: str) -> float:
        return min(r.seconds for r in self.runs[k])


PRIMED = "primed-cache"


CODE_CACHES = ("rules", "regex")  # what any earlier run of the installed version leaves, whatever it checked


def prime(env: dict[str, str], tmp: Path, sample: Path) -> None:
    """One run of the installed tool on another filing, so its rule pack (checker/engine/pack.py) and
    compiled regular expressions (checker/recache.py) are in the cache, as after any earlier run of the
    same version; every cold run's cache folder starts with those alone."""
    run(starcheck(sample, tmp / "prime.json"), dict(env, STARCHECK_CACHE_DIR=str(tmp / PRIMED)), sample=False)
    if not (tmp / PRIMED / "rules").is_dir():
        raise SystemExit("priming run wrote no rule pack cache")


def fresh_cache(tmp: Path, name: str) -> str:
    """A new cache folder holding only the primed code caches (no filing's facts or findings)."""
    folder = tmp / name
    for sub in CODE_CACHES:
        if (tmp / PRIMED / sub).is_dir():
            shutil.copytree(tmp / PRIMED / sub, folder / sub)
    return str(folder)


def measure_doc(label: str, pdf: Path, env: dict[str, str], tmp: Path, rounds: int, inproc: bool,
                pair: Path | None = None) -> DocResult:
    """Every round: raw, first (an empty cache folder: the first run after installing), cold, cached (and
    in-process); with ``pair``, a cold check of that file first in the same round (runs["pair"]: the 1x
    filing beside the 3x one, so their ratio sees one load)."""
    res = DocResult(label, pdf, pages_of(pdf), {k: [] for k in ("raw", "first", "cold", "cached", "pair", "mem")})
    key = pdf.stem
    for i in range(rounds):
        if pair is not None:
            e = dict(env, STARCHECK_CACHE_DIR=fresh_cache(tmp, f"cache-{key}-pair-{i}"))
            res.runs["pair"].append(run(starcheck(pair, tmp / "out.json"), e, sample=False))
        res.runs["raw"].append(run([sys.executable, "-c", RAW, str(pdf)], env, sample=False))
        if pair is None:
            e = dict(env, STARCHECK_CACHE_DIR=str(tmp / f"cache-{key}-first-{i}"))  # empty: created by the run
            res.runs["first"].append(run(starcheck(pdf, tmp / "out.json"), e, sample=False))
        e = dict(env, STARCHECK_CACHE_DIR=fresh_cache(tmp, f"cache-{key}-{i}"))  # no facts of this filing
        res.runs["cold"].append(run(starcheck(pdf, tmp / "out.json"), e, sample=False))
        res.runs["cached"].append(run(starcheck(pdf, tmp / "out.json"), e, sample=False))
        if inproc:
            folder = tmp / f"cache-{key}-inproc-{i}"
            r = run([sys.executable, "-c", INPROC, str(pdf)], dict(env, STARCHECK_CACHE_DIR=str(folder)), sample=False)
            cold, cached = json.loads(r.stdout.strip().splitlines()[-1])
            res.inproc.append((cold, cached))
    for i in range(2):  # memory, sampled in runs of its own (the sampling takes CPU: never in a timed run)
        e = dict(env, STARCHECK_CACHE_DIR=fresh_cache(tmp, f"cache-{key}-mem-{i}"))
        res.runs["mem"] += [run(starcheck(pdf, tmp / "out.json"), e), run(starcheck(pdf, tmp / "out.json"), e)]
    return res


def measure_batch(files: list[Path], env: dict[str, str], tmp: Path, rounds: int) -> dict[str, object]:
    folder = files[0].parent
    times: dict[int, list[float]] = {0: [], 1: [], 2: []}  # 0: two --jobs 1 runs at once
    digests: set[str] = set()
    for i in range(rounds):
        for jobs in (1, 2):
            out = tmp / f"batch-{jobs}-{i}.json"
            e = dict(env, STARCHECK_CACHE_DIR=fresh_cache(tmp, f"cache-batch-{jobs}-{i}"))
            r = run([sys.executable, "-m", "checker", "check", str(folder), "-f", "json", "-o", str(out), "-q",
                     "--no-cache", "-j", str(jobs)], e, sample=False)
            times[jobs].append(r.seconds)
            report = json.loads(out.read_text(encoding="utf-8"))
            docs = sorted(report["documents"], key=lambda d: d["path"])
            digests.add(json.dumps(docs, sort_keys=True, ensure_ascii=False))
            if any(d["status"] != "checked" for d in docs):
                raise SystemExit(f"batch: a filing was not checked: {[d['path'] for d in docs if d['status'] != 'checked']}")
        # the machine's own ceiling for this work: two --jobs 1 runs of the whole batch at once, each
        # alone in its process (no coordination at all), against one
        pair = []
        for k in (0, 1):
            e = dict(env, STARCHECK_CACHE_DIR=fresh_cache(tmp, f"cache-batch-pair{k}-{i}"))
            pair.append((e, tmp / f"batch-pair{k}-{i}.json"))
        t0 = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-m", "checker", "check", str(folder), "-f", "json", "-o", str(out),
                                   "-q", "--no-cache", "-j", "1"], env=e, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for e, out in pair]
        codes = [p.wait() for p in procs]
        times[0].append(time.perf_counter() - t0)
        if any(c not in (0, 1) for c in codes):
            raise SystemExit(f"batch: a --jobs 1 run of the pair exited {codes}")
    med = {j: statistics.median(t) for j, t in times.items()}
    return {"files": len(files), "pages": sum(pages_of(f) for f in files), "med": med,
            "best": {j: min(t) for j, t in times.items()}, "ratio": med[1] / med[2], "identical": len(digests) == 1,
            "capacity": 2 * med[1] / med[0]}


# -------------------------------------------------------------------------------- report


def _yes(ok: bool) -> str:
    return "yes" if ok else "**NO**"


def report(docs: list[DocResult], linear: tuple[DocResult, DocResult] | None, batch: dict[str, object] | None,
           font: tuple[str, int] | None, rounds: int, command: str) -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"Command: `{command}`", "",
             f"Python {sys.version.split()[0]}, {cpus} CPUs, load average {load:.2f} at the end; median of {rounds} "
             f"rounds (best in brackets); every step a fresh process, timed start to exit (memory sampled in "
             f"runs of its own). CJK font of the "
             f"generated PDFs: {font[0] + ' (embedded)' if font else 'STSong-Light (NOT embedded: no TrueType CJK font found)'}.",
             "", "| document | pages | raw text (s) | cold (s) | cold / raw | cached (s) | cached / cold "
             "| first run (s) | in-process cold / cached (s) | max RSS (MB) | tree RSS (MB) | tree PSS (MB) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for d in docs + ([linear[1]] if linear else []):
        raw, cold, cached = d.med("raw"), d.med("cold"), d.med("cached")
        ip = (f"{statistics.median(c for c, _ in d.inproc):.2f} / {statistics.median(k for _, k in d.inproc):.2f}"
              if d.inproc else "-")
        mem = d.runs["mem"]
        first = f"{d.med('first'):.2f}" if d.runs["first"] else "-"
        lines.append(
            f"| {d.label} | {d.pages} | {raw:.2f} ({d.best('raw'):.2f}) | {cold:.2f} ({d.best('cold'):.2f}) | "
            f"{cold / raw:.2f} | {cached:.2f} ({d.best('cached'):.2f}) | {cached / cold:.2f} | {first} | {ip} | "
            f"{max(r.max_rss for r in mem + d.runs['cold'] + d.runs['cached']):.0f} | "
            f"{max(r.tree_rss for r in mem):.0f} | {max(r.tree_pss for r in mem):.0f} |")
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    for d in docs + ([linear[1]] if linear else []):
        lines.append(f"| cold <= 2x raw: {d.label} | {d.med('cold') / d.med('raw'):.2f}x | {_yes(d.med('cold') <= 2 * d.med('raw'))} |")
    for d in docs:
        r = d.med("cached") / d.med("cold")
        ip = (f"; in-process {statistics.median(k for _, k in d.inproc) / statistics.median(c for c, _ in d.inproc):.2f}"
              if d.inproc else "")
        lines.append(f"| cached <= 0.25 x cold: {d.label} | {r:.2f}{ip} | {_yes(r <= 0.25)} |")
    if linear:
        one, three = linear
        r = three.med("cold") / three.med("pair")
        lines.append(f"| 3x the pages <= 3.3x the time ({one.pages} -> {three.pages} pages, cold, the two "
                     f"interleaved in each round) | {r:.2f}x ({three.med('cold'):.2f} s / {three.med('pair'):.2f} s) "
                     f"| {_yes(r <= 3.3)} |")
    big = [d for d in docs if d.pages >= 1000]
    for d in big:
        mem = d.runs["mem"]
        rss = max(r.max_rss for r in mem + d.runs["cold"] + d.runs["cached"])
        pss, tree = max(r.tree_pss for r in mem), max(r.tree_rss for r in mem)
        lines.append(f"| peak memory <= 150 MB: {d.label} | largest process {rss:.0f} MB, tree PSS {pss:.0f} MB, "
                     f"tree RSS {tree:.0f} MB | {_yes(rss <= 150 and pss <= 150)} (RSS sum: {_yes(tree <= 150)}) |")
    if batch:
        med, best = batch["med"], batch["best"]  # type: ignore[index]
        lines += ["", f"Batch: {batch['files']} generated filings ({batch['pages']} pages), `starcheck check DIR -f json "
                  "--no-cache -j N`, alternating, cold.", "",
                  "| run | seconds | filings/s |", "|---|---:|---:|",
                  f"| --jobs 1 | {med[1]:.2f} ({best[1]:.2f}) | {batch['files'] / med[1]:.2f} |",  # type: ignore[index]
                  f"| --jobs 2 | {med[2]:.2f} ({best[2]:.2f}) | {batch['files'] / med[2]:.2f} |",  # type: ignore[index]
                  "", "| target | measured | met |", "|---|---|---|",
                  f"| --jobs 2 >= 1.8x the throughput of --jobs 1 | {batch['ratio']:.2f}x | {_yes(batch['ratio'] >= 1.8)} |",  # type: ignore[operator]
                  f"| (the machine's ceiling: two --jobs 1 runs at once, {med[0]:.2f} s, against one: throughput "  # type: ignore[index]
                  f"{batch['capacity']:.2f}x; --jobs 2 reaches {batch['ratio'] / batch['capacity']:.0%} of it) | "  # type: ignore[operator]
                  f"{batch['capacity']:.2f}x | - |",
                  f"| same findings and facts, every run | {'identical' if batch['identical'] else 'DIFFERENT'} | "
                  f"{_yes(bool(batch['identical']))} |"]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=1100)
    ap.add_argument("--repeat", type=int, default=5, help="rounds per document (the 3x document: at most 3)")
    ap.add_argument("--batch", type=int, default=16, help="filings in the batch measurement (0: none)")
    ap.add_argument("--no-real", action="store_true", help="skip the real PDF and the real text laid out as PDF")
    ap.add_argument("--no-linear", action="store_true", help="skip the 3x document")
    ap.add_argument("--quick", action="store_true", help="a tiny run (60 pages, 1 round, 2 batch filings, no real data)")
    ap.add_argument("--workdir", type=Path, help="keep generated files here (and reuse them)")
    ap.add_argument("--write", type=Path, help="also write the Markdown section to this file")
    args = ap.parse_args()
    if args.quick:
        args.pages, args.repeat, args.batch, args.no_real = 60, 1, 2, True

    sys.path.insert(0, str(ROOT))
    # byte-compiled as an installed package is (PYTHONDONTWRITEBYTECODE would leave edited modules to be
    # compiled again by every measured process)
    import compileall

    compileall.compile_dir(str(ROOT / "checker"), quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="starcheck-cost-"))
    work = args.workdir or tmp
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    font = find_cjk_font()
    font_name = use_font(font)
    t = time.perf_counter()
    gen_pdf = work / f"generated-{args.pages}.pdf"
    if not gen_pdf.exists():
        generated(args.pages, gen_pdf)
    files: list[tuple[str, Path]] = [(f"generated, embedded font ({gen_pdf.name})", gen_pdf)]
    if not args.no_real and REAL_PDF.exists():
        files.append((f"real annual report ({REAL_PDF.name})", REAL_PDF))
    if not args.no_real and REAL_MD.exists():
        md_pdf = work / f"{REAL_MD.stem}.pdf"
        if not md_pdf.exists():
            markdown_as_pdf(REAL_MD, md_pdf, font_name)
        files.append((f"real prospectus text laid out as PDF ({md_pdf.name})", md_pdf))
    triple = work / f"generated-{args.pages}-x3.pdf"
    if not args.no_linear and not triple.exists():
        tripled(gen_pdf, triple)
    batch = batch_files(args.batch, work / "batch") if args.batch else []
    print(f"documents ready in {time.perf_counter() - t:.0f}s", file=sys.stderr)

    prime(env, tmp, gen_pdf)
    docs = []
    for label, pdf in files:
        docs.append(measure_doc(label, pdf, env, tmp, args.repeat, inproc=True))
        print(f"measured {label}", file=sys.stderr)
    linear = None
    if not args.no_linear:
        three = measure_doc(f"the generated filing three times over ({triple.name})", triple, env, tmp,
                            min(3, args.repeat), inproc=False, pair=gen_pdf)
        linear = (docs[0], three)
    result = measure_batch(batch, env, tmp, min(3, args.repeat)) if batch else None
    argv = ["python", "benchmarks/bench_cost.py"] + sys.argv[1:]
    text = report(docs, linear, result, font, args.repeat, " ".join(argv))
    print(text)
    if args.write:
        head = ["# Benchmarks", "", "## Cost near the floor (issue 14): starcheck against pypdfium2's own text pass", "",
                "Written by the command below (do not edit by hand). Older measurements: "
                "`benchmarks/bench_extract.py` (pdfplumber comparison) and `benchmarks/bench_batch.py` "
                "(50-filing batch, docs/benchmarks-batch.md).", ""]
        args.write.write_text("\n".join(head) + "\n" + text + "\n", encoding="utf-8")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
