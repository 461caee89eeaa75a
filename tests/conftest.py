"""Shared pytest fixtures.

``prospectus_pdf`` is a session-scoped factory for synthetic prospectus PDFs (see
tests/fixtures/prospectus_gen.py). Call it with a preset name or a ProspectusSpec; each distinct
spec is generated once per session under pytest's tmp_path_factory and returns its Planted record.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from tests.fixtures.prospectus_gen import PRESETS, Planted, ProspectusSpec, make_prospectus  # noqa: E402


@pytest.fixture(scope="session")
def prospectus_pdf(tmp_path_factory):
    """Factory: ``prospectus_pdf("biotech_std5")`` or ``prospectus_pdf(spec)`` -> Planted (``.path``)."""
    cache: dict[str, Planted] = {}
    folder = tmp_path_factory.mktemp("prospectus_pdfs")

    def make(preset_or_spec: str | ProspectusSpec) -> Planted:
        spec = PRESETS[preset_or_spec]() if isinstance(preset_or_spec, str) else preset_or_spec
        key = repr(spec)
        if key not in cache:
            cache[key] = make_prospectus(spec, folder / f"prospectus-{len(cache):03d}.pdf")
        return cache[key]

    return make


@pytest.fixture(scope="session")
def text_pdf(tmp_path_factory) -> Path:
    """A 120-page PDF of plain text lines ("page N line K ..."): long enough for page helpers to share."""
    from reportlab.pdfgen import canvas

    path = tmp_path_factory.mktemp("pdf") / "pages.pdf"
    c = canvas.Canvas(str(path))
    for n in range(1, 121):
        c.setFont("Helvetica", 11)
        for k in range(30):
            c.drawString(60, 780 - 22 * k, f"page {n} line {k} of a filing long enough to share")
        c.showPage()
    c.save()
    return path
