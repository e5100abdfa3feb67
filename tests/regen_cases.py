"""Rewrite tests/cases/*/<case>/expected.txt from the current output, and the README's
table of bad input from the cases. Review the diff by eye before committing."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from casekit import TABLE_END, TABLE_START, case_dirs, run_case, table  # noqa: E402
from conftest import REPO  # noqa: E402


def main() -> None:
    for case in case_dirs("invalid") + case_dirs("valid"):
        out = run_case(case).output
        (case / "expected.txt").write_text(out, encoding="utf-8")
        print(f"{case.parent.name}/{case.name}: {out.splitlines()[-1]}")

    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    if TABLE_START in text:
        start, end = text.index(TABLE_START), text.index(TABLE_END) + len(TABLE_END)
        readme.write_text(text[:start] + table() + text[end:], encoding="utf-8")
        print("README.md: table rewritten")
    else:
        print("README.md has no table markers; add them where the table belongs", file=sys.stderr)


if __name__ == "__main__":  # the build's worker processes are spawned: they import this module
    main()
