"""The data model: one generic fact shape, typed collections on top. No I/O.

Every YAML scalar arrives as a string (see load.py), so the types below decide what a
value means; nothing is guessed. Unknown keys are errors (``extra="forbid"``).
The JSON Schema of `FactFile` and `SourceMeta` is what editors complete against.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
SENTENCE_ID_PATTERN = r"^s-[0-9a-f]{8}(-[0-9]+)?$"


def _non_blank(s: str) -> str:
    if not s.strip():
        raise ValueError("must be a non-empty string")
    if s != s.strip():
        raise ValueError("must not start or end with whitespace")
    return s


def _http_url(s: str) -> str:
    if re.search(r"[\s\x00-\x1f\x7f]", s):
        raise ValueError("URL must not contain whitespace or control characters")
    parts = urlsplit(s)
    if parts.scheme not in ("http", "https") or not parts.hostname or not s.lower().startswith(parts.scheme + "://"):
        raise ValueError("URL must be http(s)://host/...")
    if "@" in parts.netloc:
        raise ValueError("URL must not contain a user name or password (user@host)")
    return s


ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_date(s: object) -> object:
    """A YYYY-MM-DD string that names a real day; anything else is an error, never a guess."""
    if not isinstance(s, str):
        return s
    if not ISO_DATE.match(s):
        raise ValueError("a date is written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(s)
    except ValueError as e:
        raise ValueError(f"invalid date: {e}") from None


def _date_like_valid(s: str) -> str:
    if ISO_DATE.match(s):
        _iso_date(s)
    return s


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
SentenceId = Annotated[str, StringConstraints(pattern=SENTENCE_ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000), AfterValidator(_non_blank)]
Number = Annotated[str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)?$")]
Url = Annotated[str, AfterValidator(_http_url), Field(json_schema_extra={"pattern": r"^https?://\S+$"})]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}  # each set of field names once (Strict.model_post_init)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    def model_post_init(self, context: Any, /) -> None:
        """Instances with the same fields given share one set of their names (pydantic's
        `model_fields_set`, a set of its own in every instance: at 1,000 sources 24 MB of
        a check's 110). Safe because the models are frozen: pydantic adds to the set only
        when an attribute is assigned, which a frozen model refuses first; a copy copies it."""
        names = self.__pydantic_fields_set__
        shared = _FIELDS_SETS.setdefault(frozenset(names), names)
        if shared is not names:
            object.__setattr__(self, "__pydantic_fields_set__", shared)


class Citation(Strict):
    """Where a fact comes from: a quote that must occur inside exactly one sentence."""

    source: Id = Field(description="Id of a source in content/sources/ (the file name without .yaml).")
    quote: Text = Field(
        description="Words copied from one sentence of the source. Whitespace, quotes and dashes may differ."
    )
    sentence: SentenceId | None = Field(
        None, description="Sentence id (s-xxxxxxxx) to pick one sentence when the quote occurs in several."
    )
    stance: Literal["supports", "partly", "disputes"] = Field(
        "supports",
        description="Whether this citation supports the fact, supports part of it, or disputes it.",
    )
    quoting: Id | None = Field(
        None,
        description="Id of the participant whose words the source reports here (a minister's post the outlet "
        "quotes); leave out for the outlet's own narration.",
    )


def _as_list(v: object) -> object:
    return [v] if isinstance(v, str) else v


class Attribution(Strict):
    """Who asserts the fact. Leave `attribution: null` for the publisher's own narration."""

    by: Annotated[list[Id], BeforeValidator(_as_list, json_schema_input_type=Id | list[Id]), Field(min_length=1)] = (
        Field(description="Id of the participant (person or organisation) who asserts it, or a list for a joint claim.")
    )
    mode: Literal["said", "according_to", "alleges"] = Field(
        description="'said': a statement by the party; 'according_to': a figure or claim the party reports; "
        "'alleges': a claim the party makes against another, which reads as an allegation everywhere."
    )
    against: Text | None = Field(
        None,
        description="With mode 'alleges': whom the allegation is made against, in the source's words "
        "(verified against the quotes).",
    )

    @model_validator(mode="after")
    def _against_an_allegation(self) -> Attribution:
        if self.mode == "alleges" and self.against is None:
            raise ValueError("an allegation says whom it is against: add 'against' (in the source's words)")
        if self.mode != "alleges" and self.against is not None:
            raise ValueError("'against' belongs to an allegation: use mode 'alleges', or remove 'against'")
        return self


class Derived(Strict):
    """A value the source does not state but that follows from what it states."""

    value: Annotated[Text, AfterValidator(_date_like_valid)] = Field(
        description="The derived value, e.g. 2023-05-01 (a YYYY-MM-DD value must be a real, past day)."
    )
    from_: Text = Field(
        alias="from", description="What it is derived from, e.g. 'yesterday' in a report datelined 2 May 2023."
    )
    method: Text = Field(description="How it was derived.")


class Derivation(Strict):
    """How a value the source does not state in those words follows from what it states."""

    from_: Text = Field(alias="from", description="What it is derived from, e.g. 'yesterday' in a report of 2 May.")
    method: Text = Field(description="How it was derived.")


class Stated(Strict):
    """One value of a field, with the citations whose quotes state it. A plain string in a
    fact file is the short form: its citations are the fact's own."""

    value: Text
    citations: list[Citation] | None = Field(
        None, min_length=1, description="The citations that state this value; default: the fact's citations."
    )
    derived: Derivation | None = Field(None, description="Set when the value is derived, not stated in so many words.")


class StatedNumber(Stated):
    value: Number = Field(description="The figure, digits only (no separators).")


def _as_stated(v: object) -> object:
    """`place: Arlington` is short for `place: [{value: Arlington}]`."""
    return [{"value": v}] if isinstance(v, str) else v


_FIELD_HELP = (
    "The value as the sources state it: a string (stated in a quote of this fact), a list of "
    "{value, citations} when sources state different values, or null when no cited source states it."
)
TextField = Annotated[
    list[Stated] | None,
    BeforeValidator(_as_stated, json_schema_input_type=Text | list[Stated] | None),
    Field(description=_FIELD_HELP),
]
NumberField = Annotated[
    list[StatedNumber],
    BeforeValidator(_as_stated, json_schema_input_type=Number | list[StatedNumber]),
    Field(min_length=1, description=_FIELD_HELP),
]


class Fact(Strict):
    """The generic fact shape shared by every collection."""

    id: Id = Field(description="Unique id across all fact files; also the permalink #fact-id.")
    statement: Text = Field(description="The fact as a reader sees it, in the source's own terms.")
    attribution: Attribution | None = Field(
        description="Who asserts it. Required; null only for the publisher's own narration."
    )
    citations: list[Citation] = Field(min_length=1, description="One or more citations, each verified at build time.")
    derived: Derived | None = Field(None, description="Set when the fact states a value derived from the source.")
    note: Text | None = Field(None, description="An editor's note shown with the fact.")


class Participant(Fact):
    kind: Literal["person", "organisation"]
    name: Text
    country: TextField = None
    post: TextField = None


class Meeting(Fact):
    title: Text
    participants: list[Id] = Field(min_length=1, description="Participant ids.")
    date: TextField = None
    place: TextField = None


class Figure(Fact):
    """A number the sources state: casualties, people displaced, mines cleared..."""

    value: NumberField
    measure: Annotated[
        list[Stated],
        BeforeValidator(_as_stated, json_schema_input_type=Text | list[Stated]),
        Field(min_length=1, description="What is counted, in the source's term (a casualty is not a death)."),
    ]
    period: TextField = None
    place: TextField = None


class Incident(Fact):
    """Something that happened at a time and place: a blast, a flood, an attack."""

    when: TextField = None
    place: TextField = None
    outcome: TextField = None


class Statement(Fact):
    meeting: Id | None = Field(None, description="Id of the meeting it belongs to, if the source ties it to one.")
    aspect: Literal["statement", "topic", "outcome", "background"] = Field(
        "statement",
        description="statement: what a party said or urged; topic: what was discussed; outcome: what was agreed "
        "or how it ended; background: context the source gives.",
    )


class FactFile(Strict):
    """A file in content/facts/. Every collection is optional; ids are global."""

    participants: list[Participant] = []
    meetings: list[Meeting] = []
    figures: list[Figure] = []
    incidents: list[Incident] = []
    statements: list[Statement] = []


COLLECTIONS: tuple[str, ...] = tuple(FactFile.model_fields)
ITEM_MODELS: dict[str, type[Fact]] = {
    "participants": Participant,
    "meetings": Meeting,
    "figures": Figure,
    "incidents": Incident,
    "statements": Statement,
}


def cited_fields(f: Fact) -> dict[str, list[Stated] | None]:
    """The fields of a fact whose values a reader sees as facts, verified against quotes."""
    if isinstance(f, Participant):
        return {"post": f.post, "country": f.country}
    if isinstance(f, Meeting):
        return {"date": f.date, "place": f.place}
    if isinstance(f, Figure):
        return {"value": list(f.value), "measure": f.measure, "period": f.period, "place": f.place}
    if isinstance(f, Incident):
        return {"when": f.when, "place": f.place, "outcome": f.outcome}
    return {}


def cited_sources(f: Fact) -> set[str]:
    """The ids of every source a fact cites: in its citations and its values' own."""
    ids = {c.source for c in f.citations}
    for stated in cited_fields(f).values():
        for s in stated or ():
            ids.update(c.source for c in s.citations or ())
    return ids


class NonClaim(Strict):
    """A sentence of the source that is deliberately not a fact, and why."""

    quote: Text = Field(description="Words of the sentence, matched like a citation.")
    reason: Text


class SourceMeta(Strict):
    """content/sources/<id>.yaml: metadata of the verbatim text in <id>.txt."""

    kind: Literal["article", "excerpt", "social-media-post", "official-statement", "transcript", "press-release"] = (
        Field("article", description="What the stored text is: a whole article, an excerpt of one, a post...")
    )
    title: Text | None = Field(None, description="The title as published; leave out when the stored copy has none.")
    publisher: Text
    url: Url
    archive_url: Url | None = Field(None, description="A snapshot of the original in a web archive.")
    published: IsoDate = Field(description="Publication date, YYYY-MM-DD; not after the build date.")
    retrieved: IsoDate | None = Field(None, description="When the stored copy was taken, YYYY-MM-DD.")
    copy_of: Id | None = Field(
        None, description="Id of a source this one is a syndicated copy of: the two count as one source."
    )
    dateline: Text | None = Field(
        None,
        description="The report's dateline as printed (where and when it was filed); shown with the source, "
        "never taken as the place or date of what it reports.",
    )
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="sha256 of the .txt file; the build refuses a text that does not match."
    )
    non_claims: list[NonClaim] = []

    @property
    def display_title(self) -> str:
        """The title, or, for a stored copy with none, a description that says so."""
        if self.title:
            return self.title
        kind = {"social-media-post": "post", "official-statement": "statement", "press-release": "press release"}
        d = self.published
        return f"Untitled {kind.get(self.kind, self.kind)} by {self.publisher}, {d.day} {d:%B %Y}"


_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[a-z]{2,}$", re.IGNORECASE)


def _email(s: str) -> str:
    if not _EMAIL.match(s):
        raise ValueError("an e-mail address is written name@example.org")
    return s


Email = Annotated[str, AfterValidator(_email)]


class Publisher(Strict):
    """Who publishes the fact sheet (not the sources): shown in every page's colophon."""

    name: Text
    url: Url | None = None


class Contact(Strict):
    """Where readers send questions and corrections; at least one of the two."""

    email: Email | None = None
    url: Url | None = Field(None, description="A page or form for corrections.")

    @model_validator(mode="after")
    def _one_way(self) -> Contact:
        if self.email is None and self.url is None:
            raise ValueError("give an email or a url where readers can send corrections")
        return self


class Licence(Strict):
    name: Text = Field(description="e.g. CC BY 4.0")
    url: Url | None = None


class Repository(Strict):
    """The public repository of this fact sheet: each page's "Edit" link opens its YAML there."""

    url: Url = Field(description="e.g. https://github.com/owner/repo")
    branch: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._/-]{1,100}$")] = "main"


class CollectionText(Strict):
    """How a collection's index page is titled and introduced on this fact sheet."""

    title: Text | None = None
    intro: Text | None = None


class SiteConfig(Strict):
    """content/site.yaml: what this fact sheet is, who publishes it, and how to reach them."""

    title: Text = Field(description="The fact sheet's title: the site name and the home page heading.")
    description: Text = Field(description="One sentence: what the fact sheet covers.")
    introduction: list[Text] = Field(
        min_length=1, description="Paragraphs of plain text on the home page, before the key figures."
    )
    key_figures: list[Id] = Field([], description="Ids of the facts shown as key figures on the home page.")
    publisher: Publisher
    contact: Contact | None = Field(None, description="Where readers send questions and corrections.")
    licence: Licence
    repository: Repository | None = Field(None, description="Leave out when there is no public repository.")
    collections: dict[Literal["participants", "meetings", "figures", "incidents", "statements"], CollectionText] = {}
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = "en"
