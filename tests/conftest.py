"""Shared pytest fixtures.

``prospectus_pdf`` is a session-scoped factory for synthetic prospectus PDFs (see
tests/fixtures/prospectus_gen.py). Call it with a preset name or a ProspectusSpec; each distinct
spec is generated once per session under pytest's tmp_path_factory and returns its Planted record.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# The tests never read or write the user's cache (~/.cache/starcheck): one folder for the session, set
# before any test asks for it (a test that needs a cache of its own sets STARCHECK_CACHE_DIR itself).
_SESSION_CACHE = tempfile.mkdtemp(prefix="starcheck-test-cache-")
os.environ["STARCHECK_CACHE_DIR"] = _SESSION_CACHE


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


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
