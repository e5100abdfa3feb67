"""Stage 2, validate: YAML data -> typed model, with every error at its line and column.

Pydantic checks each file against the model; its error locations are joined to the
positions the loader kept. Then ids are checked across files: unique, and every
reference (source, participant, meeting) points at something that exists.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
import unicodedata
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .diagnostics import Report
from .load import YamlDoc
from .model import COLLECTIONS, ISO_DATE, ITEM_MODELS, Citation, SiteConfig
from .project import FactEntry, Project, Site, StrayCitation
from .registry import ATTRIBUTION_REFERS_TO, BY_KEY

M = TypeVar("M", bound=BaseModel)


def did_you_mean(word: str, options: typing.Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f"did you mean '{found[0]}'?" if found else None


def _unwrap(tp: Any) -> Any:
    """The model or list type inside Optional[...] / Annotated[...]."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            if typing.get_origin(tp) is not list:
                return None
            tp = typing.get_args(tp)[0]
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            f = tp.model_fields.get(part) or next((v for v in tp.model_fields.values() if v.alias == part), None)
            if f is None:
                return None
            tp = f.annotation
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _choices(model: type[BaseModel] | None, key: Any) -> list[str]:
    """The allowed values of a Literal field, e.g. ['said', 'according_to'] for attribution.mode."""
    field = model.model_fields.get(str(key)) if model else None
    tp = _unwrap(field.annotation) if field else None
    return [str(a) for a in typing.get_args(tp)] if typing.get_origin(tp) is typing.Literal else []


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "empty"


def validate_doc(doc: YamlDoc, model: type[M], report: Report, what: str, at: tuple[str | int, ...] = ()) -> M | None:
    """Validate the node at `at` of a loaded document; report each error at its YAML position."""
    data = doc.data
    for part in at:
        data = data[part]
    if not isinstance(data, dict):
        line, col = doc.pos(at)
        report.add(
            doc.file,
            line,
            col,
            "V100",
            f"a {what} must be a mapping of keys to values",
            f"use keys such as: {', '.join(_keys_of(model)[:6])}",
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [e | {"loc": _as_written(data, e["loc"])} for e in exc.errors()]
        extras: dict[tuple[Any, ...], list[str]] = {}
        for e in errors:
            if e["type"] == "extra_forbidden":
                extras.setdefault((*at, *e["loc"][:-1]), []).append(str(e["loc"][-1]))
        for e in errors:
            loc = (*at, *e["loc"])
            name = ".".join(str(p) for p in loc)
            if e["type"] == "extra_forbidden":
                parent = _model_at(model, loc[len(at) : -1])
                line, col = doc.pos(loc, key=True)
                hint = did_you_mean(str(loc[-1]), _keys_of(parent)) if parent else None
                allowed = f"allowed keys: {', '.join(_keys_of(parent))}" if parent else None
                where = ".".join(str(p) for p in loc[:-1]) or what
                report.add(doc.file, line, col, "V101", f"unknown key '{loc[-1]}' at {where}", hint or allowed)
            elif e["type"] == "missing":
                if did_you_mean(str(loc[-1]), extras.get(loc[:-1], [])):
                    continue  # a misspelt key: the unknown-key error says so
                line, col = doc.pos(loc[:-1])
                fid = data.get("id") if what != "source" else None
                who = f"fact '{fid}'" if isinstance(fid, str) and fid else f"this {what}"
                where = ".".join(str(p) for p in loc[:-1])
                hint = (
                    "write 'attribution: null' for the publisher's own narration" if loc[-1] == "attribution" else None
                )
                report.add(
                    doc.file,
                    line,
                    col,
                    "V102",
                    f"{who} is missing required key '{loc[-1]}'" + (f" (at {where})" if where else ""),
                    hint,
                )
            else:
                line, col = doc.pos(loc)
                hint = None
                if e["type"] == "literal_error" and isinstance(e.get("input"), str):
                    hint = did_you_mean(e["input"], _choices(_model_at(model, loc[len(at) : -1]), loc[-1]))
                report.add(doc.file, line, col, "V103", f"{name}: {_message(e, loc)}", hint)
        return None


def _as_written(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The error's location in the file as written: a plain string the model reads as
    [{value: ...}] (`place: Arlington`) is reported at the string, not at `place.0.value`."""
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, str):
            return tuple(loc[:i])
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return tuple(loc)
    return tuple(loc)


def _message(e: Any, loc: tuple[Any, ...]) -> str:
    """Pydantic's message in the words of a fact file, with what was written."""
    kind, value = e["type"], e.get("input")
    got = f" (got {_describe(value)})"
    if value is None and kind.endswith("_type"):
        return ("must be a list" if kind == "list_type" else "must be a non-empty string") + got
    if kind == "string_too_short" or (kind == "value_error" and "non-empty" in e["msg"]):
        return "must be a non-empty string" + got
    if kind == "string_too_long":
        return f"longer than {e['ctx']['max_length']} characters (got {len(value)})"
    if kind == "string_pattern_mismatch" and loc[-1] == "value":
        return "a figure is written in digits only, like 299 or 2.5" + got
    if kind == "too_short" and loc[-1] == "citations":
        return "a fact needs at least one citation"
    if kind == "string_pattern_mismatch" and (
        loc[-1] in ("id", "source", "by", "meeting") or (len(loc) > 1 and loc[-2] in ("participants", "by"))
    ):
        msg = "an id is lowercase ASCII letters, digits and '-', starting with a letter or digit"
        bad = next((c for c in str(value) if not ("a" <= c <= "z" or "0" <= c <= "9" or c == "-")), None)
        if bad is not None and not bad.isascii():
            msg += f"; U+{ord(bad):04X} ({unicodedata.name(bad, 'unnamed')}) is not ASCII"
        return msg + got
    return e["msg"].removeprefix("Value error, ") + got


def add_facts(project: Project, doc: YamlDoc, report: Report) -> None:
    """Validate a fact file item by item, so one bad fact hides none of the others."""
    data = doc.data
    if not isinstance(data, dict):
        report.add(
            doc.file,
            1,
            1,
            "V100",
            "a fact file must be a mapping of collections",
            f"use keys such as: {', '.join(COLLECTIONS)}",
        )
        return
    for key in data:
        if key not in COLLECTIONS:
            line, col = doc.pos((key,), key=True)
            report.add(
                doc.file,
                line,
                col,
                "V101",
                f"unknown key '{key}' in fact file",
                did_you_mean(key, COLLECTIONS) or f"allowed keys: {', '.join(COLLECTIONS)}",
            )
    for coll in COLLECTIONS:
        items = data.get(coll)
        if items is None:
            continue
        if not isinstance(items, list):
            line, col = doc.pos((coll,))
            report.add(doc.file, line, col, "V103", f"{coll} must be a list of facts ('- id: ...')")
            continue
        item_model = ITEM_MODELS[coll]
        for i, raw in enumerate(items):
            if isinstance(raw, dict):
                try:  # the usual case, a valid fact where it belongs: validated once
                    valid = item_model.model_validate(raw)
                except ValidationError:
                    pass
                else:
                    project.add(FactEntry(valid, coll, doc, (coll, i), _by_list(raw), _plain(raw)))
                    continue
            elsewhere = _other_collection(raw, coll)
            if elsewhere is not None:
                line, col = doc.pos((coll, i))
                report.add(
                    doc.file,
                    line,
                    col,
                    "V106",
                    f"this is a {BY_KEY[elsewhere].singular}, not a {BY_KEY[coll].singular}: it is under '{coll}'",
                    f"move it under '{elsewhere}:'",
                )
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    project.invalid_ids.add(raw["id"])
                continue
            fact = validate_doc(doc, item_model, report, item_model.__name__.lower(), (coll, i))
            if fact is not None:
                project.add(FactEntry(fact, coll, doc, (coll, i), _by_list(raw), _plain(raw)))
            elif isinstance(raw, dict):
                if isinstance(raw.get("id"), str):
                    project.invalid_ids.add(raw["id"])  # known, so references to it add no noise
                cits = raw.get("citations")
                for j in range(len(cits) if isinstance(cits, list) else 0):
                    at = (coll, i, "citations", j)
                    c = validate_doc(doc, Citation, Report(), "citation", at)  # its errors are reported already
                    if c is not None:
                        project.stray_citations.append(StrayCitation(c, doc, at))


def _by_list(raw: Any) -> bool:
    """Whether attribution.by was written as a list."""
    by = raw.get("attribution") if isinstance(raw, dict) else None
    return isinstance(by, dict) and isinstance(by.get("by"), list)


def _plain(raw: Any) -> frozenset[str]:
    """The keys of a fact whose values were written as plain strings (`place: Arlington`)."""
    keys = frozenset(k for k, v in raw.items() if isinstance(v, str)) if isinstance(raw, dict) else frozenset()
    return _PLAIN.setdefault(keys, keys)  # one set per combination of keys, not one per fact


_PLAIN: dict[frozenset[str], frozenset[str]] = {}


def _other_collection(raw: Any, coll: str) -> str | None:
    """The collection an item that is invalid where it is would be valid in, if exactly one."""
    if not isinstance(raw, dict) or _fits(raw, ITEM_MODELS[coll]):
        return None
    fits = [c for c, m in ITEM_MODELS.items() if c != coll and _fits(raw, m)]
    # several may fit (every field of an incident is optional): the most generic one, the
    # model with the fewest fields of its own, is where such an item belongs
    return min(fits, key=lambda c: len(ITEM_MODELS[c].model_fields)) if fits else None


def _fits(raw: dict[str, Any], model: type[BaseModel]) -> bool:
    try:
        model.model_validate(raw)
    except ValidationError:
        return False
    return True


REF_CODES = {"participants": "R103", "meetings": "R104"}  # an unknown id of this collection


def check_references(project: Project, report: Report) -> None:
    """Ids unique across files; every reference resolves."""
    first: dict[str, FactEntry] = {}
    for e in project.facts:
        fid = e.fact.id
        if fid in first:
            f0 = first[fid]
            line, col = e.pos("id")
            report.add(
                e.file,
                line,
                col,
                "R101",
                f"duplicate fact id '{fid}' (first at {f0.file}:{f0.pos('id')[0]})",
                "give each fact its own id",
            )
        else:
            first[fid] = e
    ids = {c.key: {e.fact.id for e in project.facts if e.collection == c.key} for c in BY_KEY.values()}
    sources = set(project.sources)
    kinds = {e.fact.id: BY_KEY[e.collection].singular for e in project.facts}

    def ref(e: FactEntry, path: tuple[str | int, ...], value: str, known: set[str], what: str, code: str) -> None:
        if value not in known and value not in project.invalid_ids:
            line, col = e.pos(*path)
            listed = f"known {what}s: {', '.join(sorted(known)) or 'none'}"
            if value in kinds:  # a real fact id, but of another kind
                message, hint = f"'{value}' is a {kinds[value]}, not a {what}", listed
            else:
                message, hint = f"unknown {what} '{value}'", did_you_mean(value, known) or listed
            report.add(e.file, line, col, code, message, hint)

    for sc in project.stray_citations:
        if sc.citation.source not in project.sources:
            line, col = sc.doc.pos((*sc.path, "source"))
            hint = (
                did_you_mean(sc.citation.source, project.sources)
                or f"known sources: {', '.join(sorted(project.sources))}"
            )
            report.add(sc.doc.file, line, col, "R102", f"unknown source '{sc.citation.source}'", hint)
    for e in project.facts:
        f = e.fact
        for i, c in enumerate(f.citations):
            if c.source in project.failed_sources:
                line, col = e.pos("citations", i, "source")
                report.add(
                    e.file,
                    line,
                    col,
                    "R105",
                    f"cited source '{c.source}' could not be loaded, so this citation cannot be verified",
                    f"fix the errors reported for content/sources/{c.source}.yaml and .txt",
                )
                continue
            ref(e, ("citations", i, "source"), c.source, sources, "source", "R102")
        people = ATTRIBUTION_REFERS_TO
        if f.attribution is not None:
            for i, who in enumerate(f.attribution.by):
                path = ("attribution", "by", i) if e.by_list else ("attribution", "by")
                ref(e, path, who, ids[people], BY_KEY[people].singular, REF_CODES[people])
        for name, target in BY_KEY[e.collection].refs:
            value = getattr(f, name)  # an id, a list of ids or None: as model_dump gives it
            values = value if isinstance(value, list) else [] if value is None else [value]
            for i, v in enumerate(values):
                at: tuple[str | int, ...] = (name, i) if isinstance(value, list) else (name,)
                ref(e, at, v, ids[target], BY_KEY[target].singular, REF_CODES[target])


def check_dates(project: Project, report: Report, today: dt.date, origin: str) -> None:
    """No date after the build date (one day of slack for time zones ahead of UTC)."""
    latest = today + dt.timedelta(days=1)
    hint = f"the build date is {today.isoformat()} (from {origin}); nothing cited can be dated after it"

    def future(doc: YamlDoc, path: tuple[str | int, ...], what: str, value: dt.date) -> None:
        if value > latest:
            report.add(doc.file, *doc.pos(path), "V104", f"{what} {value.isoformat()} is in the future", hint)

    for src in project.sources.values():
        future(src.doc, ("published",), "publication date", src.meta.published)
    for e in project.facts:
        d = e.fact.derived
        if d is not None and ISO_DATE.match(d.value):
            future(e.doc, (*e.path, "derived", "value"), "derived date", dt.date.fromisoformat(d.value))


def check_site(project: Project, doc: YamlDoc, report: Report) -> None:
    """content/site.yaml: validated like every content file; key figures must be facts."""
    config = validate_doc(doc, SiteConfig, report, "site configuration")
    if config is None:
        return
    project.site = Site(config, doc)


def check_site_references(project: Project, report: Report) -> None:
    if project.site is None:
        return
    doc = project.site.doc
    known = project.by_id()
    for i, fid in enumerate(project.site.config.key_figures):
        if fid not in known and fid not in project.invalid_ids:
            line, col = doc.pos(("key_figures", i))
            hint = did_you_mean(fid, known) or "list ids of facts in content/facts/"
            report.add(doc.file, line, col, "R106", f"key figure '{fid}' is not a fact", hint)
