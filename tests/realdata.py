"""Where the real documents are: ../shared/realdata beside the repository (CI lays a copy there).

Override with STARCHECK_REALDATA. Tests that need it skip with a reason when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = Path(os.environ.get("STARCHECK_REALDATA", ROOT.parent / "shared" / "realdata"))
needs_realdata = pytest.mark.skipif(not REALDATA.is_dir(), reason=f"real documents not found at {REALDATA}")
