"""Rewrite tests/golden/ from the current templates and engine (review the diff by eye)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import GOLDEN, SHEETS, golden_path, rendered  # noqa: E402

for sheet in SHEETS:
    shutil.rmtree(GOLDEN / sheet, ignore_errors=True)
    for page, content in rendered(sheet).items():
        path = golden_path(sheet, page)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
        print(f"wrote {path.relative_to(GOLDEN.parent.parent)}")
