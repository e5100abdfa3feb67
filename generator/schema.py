"""JSON Schema for the content files, generated from the model, for editor completion.

Each content file names its schema on its first line (`# yaml-language-server:
$schema=../../schema/facts.schema.json`), so editors with the YAML language server
(VS Code, Neovim, Helix, JetBrains) complete keys, show the model's descriptions and flag
typos as you type. `factsheet schema` writes the files; `factsheet schema --check` (and a
test) fails when they no longer match the model.

Our loader reads every scalar as a string, but editors parse YAML 1.2: `value: 299` is a
number to them. So wherever the model accepts digits, the schema accepts a number too;
otherwise editors would flag content that `factsheet check` accepts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .model import FactFile, SiteConfig, SourceMeta

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS: dict[str, type[BaseModel]] = {
    "facts.schema.json": FactFile,
    "source.schema.json": SourceMeta,
    "site.schema.json": SiteConfig,
}
TITLES = {
    "facts.schema.json": "factsheet fact file (content/facts/*.yaml)",
    "source.schema.json": "factsheet source metadata (content/sources/*.yaml)",
    "site.schema.json": "factsheet configuration (content/site.yaml)",
}


def _scalar(node: dict[str, Any]) -> dict[str, Any]:
    """A string node, widened to what a YAML 1.2 editor reads for the same text."""
    if node.get("type") != "string" or "enum" in node or "format" in node or "const" in node:
        return node
    pattern = node.get("pattern", "")
    if not pattern:  # free text: `period: 2020` is a number to an editor, a string to us
        return node | {"type": ["string", "number"]}
    if pattern.startswith("^[0-9]+"):  # a figure: digits, perhaps a decimal part
        return {"anyOf": [{"type": "string", "pattern": pattern}, {"type": "number", "minimum": 0}]} | {
            k: v for k, v in node.items() if k not in ("type", "pattern")
        }
    if pattern.startswith("^[a-z0-9]"):  # an id may be all digits
        return {"anyOf": [{"type": "string", "pattern": pattern}, {"type": "integer", "minimum": 0}]} | {
            k: v for k, v in node.items() if k not in ("type", "pattern")
        }
    return node


def _widen(node: Any) -> Any:
    if isinstance(node, list):
        return [_widen(x) for x in node]
    if not isinstance(node, dict):
        return node
    node = {k: _widen(v) for k, v in node.items()}
    return _scalar(node)


def schema_for(name: str) -> dict[str, Any]:
    model = SCHEMAS[name]
    body = _widen(model.model_json_schema(by_alias=True, mode="validation"))
    body.pop("title", None)
    return {"$schema": DIALECT, "title": TITLES[name]} | body


def render_schema(name: str) -> str:
    return json.dumps(schema_for(name), indent=2, ensure_ascii=False) + "\n"


def stale_schemas(directory: Path) -> list[str]:
    """Names of schema files in `directory` that are missing or differ from the model."""
    out = []
    for name in SCHEMAS:
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render_schema(name):
            out.append(name)
    return out


def write_schemas(directory: Path) -> list[str]:
    """Write every schema whose content changed; return the names written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = stale_schemas(directory)
    for name in written:
        (directory / name).write_text(render_schema(name), encoding="utf-8")
    return written
