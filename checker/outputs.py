"""Writing reports: one format to stdout or a file, or several formats into an output directory.

In an output directory every file name is derived by starcheck, never taken verbatim from a filing:
names are reduced to safe characters, get a hash suffix against collisions, and are checked to
resolve inside the directory, so a filing called "../../etc/x.pdf" cannot write outside it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any

from checker.findings import CheckReport
from checker.io import write_atomic
from checker.report import EXTENSIONS, render

_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_stem(doc_path: str, sha256: str) -> str:
    """A file-name stem for a filing's own report: safe characters, hash-suffixed."""
    stem = unicodedata.normalize("NFKC", Path(doc_path).stem)
    stem = _UNSAFE.sub("_", stem).strip("._")[:80] or "filing"
    digest = (sha256 or hashlib.sha256(doc_path.encode("utf-8")).hexdigest())[:8]
    return f"{stem}-{digest}"


def _inside(folder: Path, name: str) -> Path:
    target = (folder / name).resolve()
    if folder.resolve() not in target.parents:
        raise ValueError(f"refusing to write outside the output directory: {name!r}")
    return target


def write_outputs(report: CheckReport, formats: list[str], out_dir: Path, *, lang: str,
                  rules: dict[str, Any]) -> list[Path]:
    """Write every format into out_dir; HTML gets one page per filing plus index.html."""
    from checker.io import OutputError

    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--output-dir {out_dir}: it is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"--output-dir {out_dir}: cannot create the folder ({e.strerror or e})") from e
    written: list[Path] = []
    for fmt in formats:
        if fmt == "html":
            written += _write_html(report, out_dir, lang=lang, rules=rules)
            continue
        kwargs: dict[str, Any] = {"lang": lang}
        if fmt == "sarif":
            kwargs["rules"] = rules
        if fmt == "csv":
            kwargs["bom"] = True  # a file: Excel / WPS on Chinese Windows read UTF-8 only with a BOM
        target = _inside(out_dir, f"starcheck.{EXTENSIONS[fmt]}")
        write_atomic(target, render(fmt, report, **kwargs))
        written.append(target)
    return written


def _write_html(report: CheckReport, out_dir: Path, *, lang: str, rules: dict[str, Any]) -> list[Path]:
    from checker.report.html import render_index

    names: dict[str, str] = {}
    written = []
    for doc in report.documents:
        single = report.model_copy(update={"documents": [doc]})
        name = f"{safe_stem(doc.path, doc.sha256)}.html"
        target = _inside(out_dir, name)
        write_atomic(target, render("html", single, lang=lang, rules=rules,
                                    pdf_paths={doc.path: Path(doc.path)}, link_base=out_dir))
        names[doc.path] = name
        written.append(target)
    index = _inside(out_dir, "index.html")
    write_atomic(index, render_index(report, names, lang=lang))
    return [index, *written]
