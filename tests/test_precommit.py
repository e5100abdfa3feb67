"""pre-commit: the hook files are valid, and the repository's hook stops a commit whose
content fails `factsheet check`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO, copy_project, edit

BIN = Path(sys.executable).parent


def pre_commit(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "pre-commit"), *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env
    )


def test_config_and_manifest_are_valid() -> None:
    r = pre_commit(REPO, "validate-config", ".pre-commit-config.yaml")
    assert r.returncode == 0, r.stdout + r.stderr
    r = pre_commit(REPO, "validate-manifest", ".pre-commit-hooks.yaml")
    assert r.returncode == 0, r.stdout + r.stderr
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(h["id"], h["entry"], h["language"]) for h in hooks] == [("factsheet-check", "factsheet check", "python")]


def test_the_hook_blocks_a_commit_with_a_broken_citation(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo")
    for name in ("Makefile", "pyproject.toml", ".pre-commit-config.yaml"):
        shutil.copy(REPO / name, root / name)
    # `make check` runs .venv/bin/factsheet; point it at this interpreter's (newer than pyproject.toml)
    venv_bin = root / ".venv/bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "factsheet").write_text(f'#!/bin/sh\nexec "{BIN / "factsheet"}" "$@"\n')
    (venv_bin / "factsheet").chmod(0o755)
    env = os.environ | {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t", "GIT_COMMITTER_NAME": "t"}
    env |= {"GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, timeout=60)
    (root / ".gitignore").write_text(".venv/\n")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, timeout=60)

    r = pre_commit(root, "run", "--all-files", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "factsheet check (every citation verified against its source)" in r.stdout and "Passed" in r.stdout

    edit(root / "content/facts/landmines.yaml", 'value: "299"', 'value: "298"')
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, timeout=60)
    r = pre_commit(root, "run", "--all-files", env=env)
    assert r.returncode == 1
    assert "Failed" in r.stdout
    assert "content/facts/landmines.yaml:6:12: error[C204] number 298 in value is not in the quote" in r.stdout
