"""Read a filing into pages, whatever form it comes in.

The format is decided from the content (magic bytes and the first lines), not from the file
name: a PDF (text layer read with pypdfium2), plain text with form-feed page breaks (as
``pdftotext`` writes), the Bosera JSON-lines page format, or Markdown with ``## 第N页`` markers.
Bad input raises :class:`checker.errors.InputError` with a stable code and a sentence a person
can act on.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from checker.errors import InputError
from checker.extract import heap, pdfpages
from checker.extract.clean import clean_document, strip_invisible
from checker.extract.document import Document, Page

# A page with fewer non-blank characters than this is treated as having no text layer.
_MIN_PAGE_CHARS = 8
# Share of text-less pages above which the whole file counts as image-only.
_IMAGE_ONLY_SHARE = 0.9

_MD_PAGE = re.compile(r"^#{1,6}\s*第\s*(\d+)\s*页\s*$")

_MAGIC = [
    (b"PK\x03\x04", "a ZIP container (e.g. .docx, .xlsx or .zip)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.doc/.xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
]


MAX_PAGE_CHARS = 100_000  # a real prospectus page holds a few thousand characters
# An unpaged export holds the whole filing on its one page: a 1,000-page prospectus is about 1.5M.
MAX_UNPAGED_CHARS = 4_000_000


def _what_is(head: bytes) -> str:
    """What a non-PDF file seems to be, from its first bytes (for the error message)."""
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if h.startswith((b"<!doctype html", b"<html")) or b"<html" in h[:512]:
        return "an HTML page (an error page saved by a failed download?)"
    if h.startswith((b"<?xml", b"<")):
        return "an XML or HTML document"
    if h.startswith((b"{", b"[")):
        return "JSON data"
    if not h.strip():
        return "an empty or whitespace-only file"
    try:
        head.decode("utf-8")
        return "plain text"
    except UnicodeDecodeError:
        return "binary data of an unknown kind"


def human_size(n: int) -> str:
    """Bytes for people: 1000 bytes, 12.5 KB, 480 MB."""
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            v = n / size
            return f"{v:.0f} {unit}" if v >= 10 else f"{v:.1f} {unit}"
    return f"{n} bytes"


def _claims_pages(path: Path, number: int, max_pages: int) -> InputError:
    return _err("too_many_pages", f"{path.name} claims a page {number}, above the limit of {max_pages} pages. "
                "A real export numbers its pages from 1; check the file, or raise the limit (--max-pages).")


def page_char_limit(doc: Document) -> int:
    """The most characters read of one page: MAX_PAGE_CHARS when the export has pages; a document of
    one page (a text export without page markers: the whole filing in one) gets MAX_UNPAGED_CHARS."""
    return MAX_UNPAGED_CHARS if len(doc.pages) == 1 else MAX_PAGE_CHARS


def cap_pages(doc: Document) -> None:
    """Cut any page's text to the page limit (page_char_limit: a page that long is not a page of a
    filing, a hostile or broken export), with a warning naming the pages."""
    limit = page_char_limit(doc)
    cut = []
    for page in doc.pages:
        total = sum(len(x) for x in page.raw_lines)
        if total <= limit:
            continue
        keep, used = [], 0
        for x in page.raw_lines:
            if used + len(x) > limit:
                keep.append(x[: limit - used])
                break
            keep.append(x)
            used += len(x)
        page.raw_lines = keep
        cut.append(page.number)
    if cut:
        what = "no page of a filing is that long" if limit == MAX_PAGE_CHARS else "no filing is that long"
        doc.warnings.append(f"Page(s) with more than {limit} characters, only the first {limit} read: "
                            f"{_ranges(cut)}. Check the export: {what}.")


def _err(code: str, message: str) -> InputError:
    return InputError(message, code=code)


SNIFF_BYTES = 256 * 1024


def sniff_format(path: Path) -> str | None:
    """The filing format a file's own content shows ("pdf", "jsonl", "markdown", "text"), or None for a
    file that is not a filing export (a README, notes, a log): what a folder scan takes. Reads at most
    SNIFF_BYTES of a regular file."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return None
    if b"%PDF-" in head[:1024]:
        return "pdf"
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    first = text.split("\n", 1)[0].strip()
    if first.startswith("{") and '"page"' in first and '"inside"' in first:
        return "jsonl"
    if any(_MD_PAGE.match(ln.strip()) for ln in text.split("\n", 400)[:400]):
        return "markdown"
    if "\f" in text:
        return "text"
    return None


def load_document(
    path: Path, *, max_pages: int = 3000, max_bytes: int = 500_000_000
) -> Document:
    """Read ``path`` into a cleaned :class:`Document` (headers, footers, TOC lines separated)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _err("unreadable", f"Cannot open {path}: {exc.strerror or exc}. Check the path and permissions.") from exc
    if size == 0:
        raise _err("empty_file", f"{path.name} is empty (0 bytes). Supply the complete filing.")
    if size > max_bytes:
        raise _err(
            "too_large",
            f"{path.name} is {human_size(size)}, above the limit of {human_size(max_bytes)}. "
            "Split the file or raise the limit (--max-bytes).",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _err("unreadable", f"Cannot read {path}: {exc.strerror or exc}. Check permissions.") from exc
    sha = hashlib.sha256(data).hexdigest()

    head = data[:1024]
    if b"%PDF-" in head:
        doc = _load_pdf(path, data, sha, max_pages)
    else:
        for magic, what in _MAGIC:
            if data.startswith(magic):
                raise _err(
                    "not_a_pdf",
                    f"{path.name} is not a PDF or text export: it looks like {what}. "
                    "Export the filing to PDF (with a text layer) and check that file.",
                )
        if path.suffix.lower() == ".pdf":
            # A .pdf without a PDF header is a failed download or a mislabelled file: say what it is.
            raise _err("not_a_pdf", f"{path.name} is named .pdf but is not a PDF: it looks like {_what_is(head)}. "
                       "Download or export the filing again and check the new file.")
        text = _decode_text(path, data)
        if not strip_invisible(text).strip():
            raise _err("empty_file", f"{path.name} holds only whitespace: there is no text to check. Supply the complete filing.")
        stripped = text.lstrip("\ufeff \t\r\n")
        first = stripped.split("\n", 1)[0].strip()
        if first.startswith("{") and '"page"' in first and '"inside"' in first:
            doc = _load_jsonl(path, text, sha, max_pages)
        elif any(_MD_PAGE.match(ln.strip()) for ln in stripped.split("\n", 400)[:400]):
            doc = _load_markdown(path, text, sha, max_pages)
        else:
            doc = _load_plain(path, text, sha)
    if not doc.pages:
        raise _err("empty_file", f"{path.name} contains no pages of text. Supply the complete filing.")
    if len(doc.pages) > max_pages:
        raise _err(
            "too_many_pages",
            f"{path.name} has {len(doc.pages)} pages, above the limit of {max_pages}. "
            "Split the file or raise the limit (--max-pages).",
        )
    cap_pages(doc)
    heap.settle()  # the pages live as long as the check
    clean_document(doc)
    return doc


# ---------------------------------------------------------------------------------- text


def _decode_text(path: Path, data: bytes) -> str:
    sample = data[:65536]
    # Binary content: many NUL or control bytes.
    ctrl = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if b"\x00" in sample[:4096] and not (data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff")):
        raise _err(
            "not_a_pdf",
            f"{path.name} is neither a PDF nor a text export: it looks like binary data. "
            "Supply the filing as a PDF with a text layer.",
        )
    for enc in ("utf-8-sig", "utf-16", "gb18030"):
        if enc == "utf-16" and not (data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff")):
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and ctrl > len(sample) * 0.05:
            break
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise _err(
        "not_a_pdf",
        f"{path.name} is neither a PDF nor readable text (not UTF-8 or GB18030): it looks like binary data. "
        "Supply the filing as a PDF with a text layer.",
    )


def _split_lines(text: str) -> list[str]:
    # Invisible characters are dropped at the source: quotes stay verbatim for a reader, and no
    # matcher downstream can be defeated by a zero-width space.
    text = strip_invisible(text)
    return [ln.rstrip() for ln in text.split("\n") if ln.strip()]


def _load_plain(path: Path, text: str, sha: str) -> Document:
    chunks = text.split("\f")
    if chunks and not chunks[-1].strip():
        chunks = chunks[:-1]
    pages = [Page(number=i + 1, raw_lines=_split_lines(c)) for i, c in enumerate(chunks)]
    doc = Document(path=str(path), sha256=sha, source_format="text", pages=pages)
    if len(chunks) == 1:
        doc.warnings.append(
            "The text has no form-feed page breaks, so the whole file is one page; page numbers in "
            "evidence are not meaningful. Export with pdftotext (which writes form feeds) to fix this."
        )
    _flag_empty_pages(doc)
    return doc


def _load_markdown(path: Path, text: str, sha: str, max_pages: int = 3000) -> Document:
    pages: list[Page] = []
    current: list[str] | None = None
    number = 0
    meta: dict[str, str] = {}
    preamble: list[str] = []
    for ln in text.split("\n"):
        m = _MD_PAGE.match(ln.strip())
        if m:
            if current is not None:
                pages.append(Page(number=number, raw_lines=_split_lines("\n".join(current))))
            number = int(m.group(1))
            if number > max_pages:
                # NOTE: checked before the gap is filled: a tiny file must not allocate what it claims
                raise _claims_pages(path, number, max_pages)
            # Fill gaps so that Page.number stays the physical page.
            while len(pages) + 1 < number:
                pages.append(Page(number=len(pages) + 1, raw_lines=[]))
            current = []
            continue
        if current is None:
            preamble.append(ln)
        else:
            if ln.strip() == "---":
                continue
            current.append(ln)
    if current is not None:
        pages.append(Page(number=number, raw_lines=_split_lines("\n".join(current))))
    for ln in preamble:
        m = re.match(r"^\*\*(.+?)\*\*\s*[:：]\s*(.+)$", ln.strip())
        if m:
            meta[m.group(1).strip()] = m.group(2).strip()
        elif ln.startswith("# ") and "title" not in meta:
            meta["title"] = ln[2:].strip()
    doc = Document(path=str(path), sha256=sha, source_format="markdown", pages=pages, metadata=meta)
    _flag_empty_pages(doc)
    return doc


def _load_jsonl(path: Path, text: str, sha: str, max_pages: int = 3000) -> Document:
    by_page: dict[int, Page] = {}
    bad = 0
    for ln in text.split("\n"):
        ln = ln.strip()
        if not ln:
            continue
        try:
            rec = json.loads(ln)
            no = int(rec["page"])
            if no < 1:
                raise ValueError("page numbers start at 1")
            kind = rec.get("type", "text")
            inside = rec.get("inside", "")
        except (ValueError, KeyError, TypeError, RecursionError):
            bad += 1
            continue
        if no > max_pages:
            raise _claims_pages(path, no, max_pages)
        page = by_page.setdefault(no, Page(number=no, raw_lines=[]))
        if kind == "excel":
            inside = _excel_row(inside)
        inside = strip_invisible(str(inside)).strip()
        if not inside:
            continue
        page.raw_lines.append(inside)
        if kind == "页眉":
            page.header.append(inside)
        elif kind == "页脚":
            page.footer.append(inside)
    if not by_page:
        raise _err("truncated_or_corrupt", f"{path.name} looks like JSON lines but no page record could be read.")
    last = max(by_page)
    pages = [by_page.get(i, Page(number=i, raw_lines=[])) for i in range(1, last + 1)]
    doc = Document(path=str(path), sha256=sha, source_format="jsonl", pages=pages)
    if bad:
        doc.warnings.append(f"{bad} line(s) of the JSON-lines file could not be read and were skipped.")
    _flag_empty_pages(doc)
    return doc


def _excel_row(inside: str) -> str:
    """A Bosera table row is a Python list literal of cell strings; join the cells."""
    try:
        cells = ast.literal_eval(inside)
    except (ValueError, SyntaxError):
        return inside
    if not isinstance(cells, (list, tuple)):
        return inside
    return " ".join(str(c).replace("\n", "").strip() for c in cells if str(c).strip())


def _flag_empty_pages(doc: Document) -> None:
    empty = [p.number for p in doc.pages if len("".join(p.raw_lines).strip()) < _MIN_PAGE_CHARS]
    if empty:
        doc.warnings.append(f"Page(s) without text: {_ranges(empty)}.")


def _ranges(nums: list[int]) -> str:
    out: list[str] = []
    start: int | None = None
    prev = 0
    for n in nums:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = n
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else str(start))
    return ", ".join(out)


# ----------------------------------------------------------------------------------- pdf


def start_page_helpers(path: Path, helpers: int, max_pages: int) -> None:
    """Start ``helpers`` processes reading the pages of the PDF at ``path`` for its next load (see
    checker/extract/pdfpages.py; nothing for a file that is not a PDF)."""
    pdfpages.prepare(Path(path), helpers, _page_lines, max_pages)


def _page_lines(pdf: Any, i: int) -> list[str]:
    """The text lines of page ``i`` of an open pdfium document (PageError when it cannot be loaded)."""
    import pypdfium2 as pdfium

    try:
        page = pdf[i]
    except pdfium.PdfiumError as exc:
        raise pdfpages.PageError(i, "page", str(exc)) from exc
    try:
        tp = page.get_textpage()
        try:
            text = tp.get_text_range()
        finally:
            tp.close()
    finally:
        page.close()
    return _split_lines(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""))


def _load_pdf(path: Path, data: bytes, sha: str, max_pages: int) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (4, 5) or "password" in str(exc).lower() or "security" in str(exc).lower():
            raise _err(
                "encrypted",
                f"{path.name} is password-protected. Decrypt it first (e.g. `qpdf --decrypt "
                "--password=… in.pdf out.pdf`) or supply the password-free version.",
            ) from exc
        raise _err(
            "truncated_or_corrupt",
            f"{path.name} starts like a PDF but cannot be parsed ({exc}). It is probably truncated or "
            "damaged: download or export it again.",
        ) from exc
    try:
        n = len(pdf)
        if n == 0:
            raise _err("empty_file", f"{path.name} is a PDF with no pages. Supply the complete filing.")
        if n > max_pages:
            raise _err(
                "too_many_pages",
                f"{path.name} has {n} pages, above the limit of {max_pages}. "
                "Split the file or raise the limit (--max-pages).",
            )
        try:
            texts = pdfpages.read(pdf, n, path, sha, _page_lines)
        except pdfpages.PageError as exc:
            if exc.kind != "page":
                raise RuntimeError(exc.message) from exc
            raise _err(
                "truncated_or_corrupt",
                f"Page {exc.index + 1} of {path.name} cannot be read ({exc.message}); the file is probably "
                "damaged. Download or export it again.",
            ) from exc
        pages: list[Page] = []
        textless: list[int] = []
        for i, lines in enumerate(texts):
            if len("".join(lines).strip()) < _MIN_PAGE_CHARS:
                textless.append(i + 1)
            pages.append(Page(number=i + 1, raw_lines=lines))
        meta: dict[str, str] = {}
        try:
            for k, v in (pdf.get_metadata_dict() or {}).items():
                if v:
                    meta[str(k)] = str(v)
        except Exception:  # noqa: BLE001 - metadata is optional
            pass
    finally:
        pdf.close()
    if len(textless) >= max(1, _IMAGE_ONLY_SHARE * n):
        raise _err(
            "image_only",
            f"{path.name} has no text layer on {len(textless)} of {n} pages (a scan or image-only PDF). "
            "Run OCR first, e.g. `ocrmypdf in.pdf out.pdf`, and check the OCR'd file.",
        )
    doc = Document(path=str(path), sha256=sha, source_format="pdf", pages=pages, metadata=meta)
    if b"%%EOF" not in data[-2048:]:
        doc.warnings.append("The PDF has no end-of-file marker: it may be truncated; check that the file is complete.")
    if textless:
        doc.warnings.append(
            f"Page(s) without a text layer (image-only or blank), not checked: {_ranges(textless)}. "
            "Run OCR (e.g. ocrmypdf) if they carry content."
        )
    return doc
