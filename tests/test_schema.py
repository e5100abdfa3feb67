"""Editor completion: the JSON Schemas match the model, every content file names one, and
check-jsonschema (what an editor's YAML language server does) accepts the real content
and rejects a typo."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SEED_SHEET, edit, run_cli

SCHEMA = REPO / "schema"
MODELINE = "# yaml-language-server: $schema="


def tool(name: str) -> str:
    """An executable installed with the test extra, next to this Python."""
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    assert found, f"{name} is not installed; run: pip install -e '.[test]'"
    return found


def check_jsonschema(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("check-jsonschema"), "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_committed_schemas_match_the_model() -> None:
    code, out = run_cli("schema", "--check", "--root", str(REPO))
    assert (code, out) == (0, "ok: schema/ matches the model\n"), "run 'factsheet schema' and commit schema/"


def test_schema_check_fails_on_a_stale_file_and_schema_rewrites_it(tmp_path: Path) -> None:
    shutil.copytree(SCHEMA, tmp_path / "schema")
    edit(tmp_path / "schema/facts.schema.json", '"quote"', '"qoute"')
    code, out = run_cli("schema", "--check", "--root", str(tmp_path))
    assert code == 1
    assert out == "schema/facts.schema.json is out of date with the model; run 'factsheet schema' and commit it\n"
    code, out = run_cli("schema", "--root", str(tmp_path))
    assert (code, out) == (0, "wrote schema/facts.schema.json\n")
    assert (tmp_path / "schema/facts.schema.json").read_bytes() == (SCHEMA / "facts.schema.json").read_bytes()


def test_every_content_file_names_its_schema_on_the_first_line() -> None:
    files = sorted((SEED_SHEET / "content").glob("*/*.yaml"))  # the fixture: content/ may hold anything valid
    assert len(files) >= 6
    for f in files:
        first = f.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE), f
        expected = "facts.schema.json" if f.parent.name == "facts" else "source.schema.json"
        assert first.removeprefix(MODELINE) == f"../../schema/{expected}", f  # the project's schema/
        assert (SCHEMA / expected).is_file()


def test_every_object_in_the_schema_forbids_unknown_keys() -> None:
    for name in ("facts.schema.json", "source.schema.json"):
        schema = json.loads((SCHEMA / name).read_text(encoding="utf-8"))
        objects = [schema, *schema["$defs"].values()]
        assert all(o.get("additionalProperties") is False for o in objects), name


def test_check_jsonschema_accepts_the_real_content() -> None:
    facts = sorted((REPO / "content/facts").glob("*.yaml"))
    sources = sorted((REPO / "content/sources").glob("*.yaml"))
    r = check_jsonschema(SCHEMA / "facts.schema.json", *facts)
    assert r.returncode == 0, r.stdout + r.stderr
    r = check_jsonschema(SCHEMA / "source.schema.json", *sources)
    assert r.returncode == 0, r.stdout + r.stderr
    r = check_jsonschema(SCHEMA / "site.schema.json", REPO / "content/site.yaml")
    assert r.returncode == 0, r.stdout + r.stderr


def test_check_jsonschema_rejects_a_typo_d_key(tmp_path: Path) -> None:
    bad = tmp_path / "landmines.yaml"
    shutil.copy(SEED_SHEET / "content/facts/landmines.yaml", bad)
    edit(bad, "    measure:", "    mesure:")
    r = check_jsonschema(SCHEMA / "facts.schema.json", bad)
    assert r.returncode == 1
    assert "'mesure' was unexpected" in r.stdout


def test_schema_and_check_agree_on_what_editors_write(project: Path) -> None:
    """An unquoted figure is a number to an editor and a string to our loader: both accept it."""
    path = project / "content/facts/landmines.yaml"
    edit(path, 'value: "299"', "value: 299")
    edit(path, "    place: Azerbaijan\n", "    place: Azerbaijan\n    note: 2020\n")
    r = check_jsonschema(SCHEMA / "facts.schema.json", path)
    assert r.returncode == 0, r.stdout + r.stderr
    code, out = run_cli("check", "--root", str(project))
    assert code == 0, out
    # `published: 2023-05-02` is a date to YAML 1.1 parsers and a string to ours; both accept it
    assert "published: 2023-05-02\n" in (project / "content/sources/tdi-2023-05-02.yaml").read_text(encoding="utf-8")
    r = check_jsonschema(SCHEMA / "source.schema.json", project / "content/sources/tdi-2023-05-02.yaml")
    assert r.returncode == 0, r.stdout + r.stderr
