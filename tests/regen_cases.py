"""Rewrite tests/cases/*/<case>/expected.txt from the current output. Review the diff by eye."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from casekit import case_dirs, lay_out  # noqa: E402
from conftest import run_cli  # noqa: E402

for case in case_dirs("invalid"):
    with tempfile.TemporaryDirectory() as tmp:
        root = lay_out(case, Path(tmp) / "proj")
        cwd = os.getcwd()
        os.chdir(root)
        try:
            _, out = run_cli("check")
        finally:
            os.chdir(cwd)
    (case / "expected.txt").write_text(out, encoding="utf-8")
    print(f"{case.name}: {out.splitlines()[-1]}")
