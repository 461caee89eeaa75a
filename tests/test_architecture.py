"""The shape of checker/: the layer contract and module size.

Layers ([tool.importlinter] in pyproject.toml): cli -> outputs -> report -> batch -> pipeline -> engine
-> ruleset -> findings -> blacklist -> facts -> extract; a layer imports only the layers below it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 600  # a module longer than this has parts that want their own module


def test_layer_contract_is_kept():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    assert Path(exe).exists(), "import-linter is a test dependency: pip install '.[test]'"
    proc = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "broken" not in proc.stdout.lower().split("contracts:")[-1].split("kept")[0]


def test_no_module_over_the_size_limit():
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "checker").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
