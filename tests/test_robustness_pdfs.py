"""Damaged and hostile PDFs through the front door: a result or a clear error, never an exception or a hang.

Every file goes through checker.batch.check_limited (check_file under the per-file time limit, the
way the batch runs it) with a small limit; the last test also sends them all through the worker pool.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest

from checker.batch import check_limited, run_batch
from checker.pipeline import CheckOptions
from checker.ruleset.loader import load_rules, ruleset_hash
from tests.fixtures import prospectus_gen as gen

SPECS = load_rules()
LIMIT = 10.0
# Codes a person can act on (loader input errors and the batch's limits); internal_error would be a bug.
CLEAR = {"truncated_or_corrupt", "empty_file", "image_only", "too_many_pages", "too_large", "not_a_pdf",
         "encrypted", "unreadable", "timeout"}


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("gen") / "good.pdf"
    gen.make_prospectus(gen.profitable_std1(pad_to_pages=12), path)
    return path.read_bytes()


def _opts() -> CheckOptions:
    return CheckOptions(use_cache=False, ruleset_sha=ruleset_hash(SPECS), timeout=LIMIT)


def _check(path: Path):
    t = time.monotonic()
    r = check_limited(path, SPECS, _opts())  # must not raise
    assert time.monotonic() - t < LIMIT + 5, f"{path.name} ran past the limit"
    assert r.status in ("checked", "error"), r.status
    if r.status == "error":
        assert r.error.code in CLEAR, f"{path.name}: {r.error.code}: {r.error.message}"
        assert path.name in r.error.message or r.error.code == "timeout"
        assert r.error.message.rstrip().endswith("."), r.error.message
        assert r.findings == []
    else:
        assert len(r.findings) > 0 and r.pages > 0
    return r


def _pdf(objects: list[bytes]) -> bytes:
    """A well-formed PDF from object bodies (1: Catalog, 2: Pages ...), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _text_pdf(pages: list[bytes], count: int | None = None) -> bytes:
    """Pages given as content streams (Helvetica as /F1); ``count`` overrides the /Count claim."""
    n = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{kids}] /Count {count if count is not None else n} >>".encode(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                    f"/Contents {5 + 2 * i} 0 R >>".encode())
        objs.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    return _pdf(objs)


def _lines(texts: list[str]) -> bytes:
    body = "".join(f"BT /F1 11 Tf 50 {800 - 14 * i} Td ({t}) Tj ET\n" for i, t in enumerate(texts))
    return body.encode("latin-1")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_truncated_at_random_offsets(tmp_path, good_pdf):
    rng = random.Random(20240607)
    offsets = sorted(rng.sample(range(1, len(good_pdf) - 1), 20))
    codes = []
    for off in offsets:
        r = _check(_write(tmp_path, f"trunc-{off}.pdf", good_pdf[:off]))
        codes.append(r.error.code if r.error else r.status)
    assert len(codes) == 20


def test_bytes_flipped_at_random_positions(tmp_path, good_pdf):
    rng = random.Random(7)
    for k in range(8):
        data = bytearray(good_pdf)
        for pos in rng.sample(range(len(data)), 16 * (k + 1)):
            data[pos] ^= 1 << rng.randrange(8)
        _check(_write(tmp_path, f"flip-{k}.pdf", bytes(data)))


def test_xref_table_removed(tmp_path, good_pdf):
    start = good_pdf.rfind(b"\nxref")
    end = good_pdf.rfind(b"trailer")
    assert 0 < start < end
    no_xref = good_pdf[:start + 1] + good_pdf[end:]
    r = _check(_write(tmp_path, "no-xref.pdf", no_xref))
    assert r.status == "checked"  # pdfium rebuilds the cross-reference table by scanning
    bad_pointer = re.sub(rb"startxref\s+\d+", b"startxref\n999999999", good_pdf)
    _check(_write(tmp_path, "bad-startxref.pdf", bad_pointer))
    no_tail = good_pdf[:good_pdf.rfind(b"trailer")]
    _check(_write(tmp_path, "no-trailer.pdf", no_tail))


def test_huge_page_count_claim(tmp_path):
    page = _lines(["Prospectus of an example company with a single real page."] * 3)
    r = _check(_write(tmp_path, "huge-count.pdf", _text_pdf([page], count=2_000_000_000)))
    if r.status == "error":
        assert r.error.code in ("too_many_pages", "truncated_or_corrupt")
    else:
        assert r.pages == 1


def test_zero_byte_content_streams(tmp_path):
    empty = _text_pdf([b"", b"", b""])
    r = _check(_write(tmp_path, "empty-streams.pdf", empty))
    assert r.status == "error" and r.error.code == "image_only"
    mixed = _text_pdf([_lines(["First page with some text on it for the checker."]), b""])
    r = _check(_write(tmp_path, "one-empty-stream.pdf", mixed))
    assert r.status == "checked" and any("2" in w for w in r.warnings)


def test_garbage_text_layer(tmp_path):
    rng = random.Random(3)
    alphabet = "".join(chr(c) for c in range(33, 127) if chr(c) not in "()\\")
    pages = [_lines(["".join(rng.choice(alphabet) for _ in range(70)) for _ in range(50)]) for _ in range(4)]
    r = _check(_write(tmp_path, "garbage.pdf", _text_pdf(pages)))
    assert r.status == "checked"
    # nothing can be established from garbage: no rule may pass on it
    assert r.summary.get("pass", 0) == 0, r.summary


def test_all_of_them_through_the_worker_pool(tmp_path, good_pdf):
    rng = random.Random(11)
    files = [_write(tmp_path, "good.pdf", good_pdf)]
    for off in rng.sample(range(1, len(good_pdf)), 4):
        files.append(_write(tmp_path, f"t{off}.pdf", good_pdf[:off]))
    files.append(_write(tmp_path, "zero.pdf", _text_pdf([b""])))
    results = run_batch(files, SPECS, _opts(), jobs=2)
    assert [r.path for r in results] == [str(f) for f in files]
    assert results[0].status == "checked"
    for r in results:
        assert r.status == "checked" or r.error.code in CLEAR, r.error
