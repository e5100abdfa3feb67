"""The catalogue of diagnostic codes: each code defined once, with its stage, a title, the
hint given when the place that reports it has no more specific one, and where it is
documented (DIAGNOSTICS.md, generated from this module by `factsheet explain --markdown`).

A code's letter is the stage that finds it (`STAGES`). `Report.add` looks every code up
here, so a code used without an entry is a KeyError in the tests, not a surprise for an
editor. No imports beyond the standard library: `factsheet explain` loads only this.
"""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass

STAGES: dict[str, str] = {
    "Y": "load",
    "V": "validate",
    "R": "references",
    "S": "sources",
    "C": "citations",
    "L": "layout",
}
STAGE_TITLES: dict[str, str] = {
    "load": "reading YAML files (generator/load.py)",
    "validate": "keys, types and values of content files (generator/validate.py, generator/model.py)",
    "references": "ids and the references between them (generator/validate.py)",
    "sources": "stored source texts and their sentences (generator/sources.py)",
    "citations": "quotes matched against sentences, numbers against quotes (generator/cite.py)",
    "layout": "the content directories, the site configuration and the build environment (generator/pipeline.py)",
}
DOC_PAGE = "DIAGNOSTICS.md"


@dataclass(frozen=True)
class Code:
    """One diagnostic code. `hint` is the default hint: `Report.add` uses it when the
    caller passes none (None: the caller's hint, if any, is all there is)."""

    code: str
    stage: str
    title: str
    hint: str | None
    doc: str
    explanation: str = ""
    example: str = ""  # a minimal bad input (file name on its first line)
    fix: str = ""


def _code(code: str, title: str, explanation: str, example: str, fix: str, hint: str | None = None) -> Code:
    return Code(
        code=code,
        stage=STAGES[code[0]],
        title=title,
        hint=hint,
        doc=f"{DOC_PAGE}#{code.lower()}",
        explanation=" ".join(explanation.split()),
        example=textwrap.dedent(example).strip("\n"),
        fix=" ".join(fix.split()),
    )


_ALL = [
    # Y: loading YAML (load.py). Only strings, lists and mappings; positions kept for every node.
    _code(
        "Y101",
        "file is not valid UTF-8",
        """Content files are read as strict UTF-8, never guessed: a file saved as Latin-1
        or UTF-16 is refused at the first byte that is not UTF-8.""",
        """
        content/facts/people.yaml   (saved as Latin-1)
        statements:
          - statement: caf\\xe9 talks
        """,
        "Save the file as UTF-8 (any editor's 'Save with encoding' or `iconv -f latin1 -t utf-8`).",
    ),
    _code(
        "Y102",
        "file starts with a UTF-8 byte order mark",
        """A byte order mark (EF BB BF) is invisible in most editors and differs between
        files that look alike; the build has one policy: refuse it.""",
        """
        content/facts/people.yaml   (bytes EF BB BF before 'participants:')
        """,
        "Save the file as UTF-8 without BOM.",
    ),
    _code(
        "Y103",
        "invisible or control character",
        """NUL, ESC, zero-width spaces, bidirectional overrides (U+202E) and line or paragraph
        separators are refused anywhere in a content file: they can make two ids look alike or
        text display differently from what it is.""",
        """
        content/facts/people.yaml
          - id: antony\\u200bblinken
        """,
        "Delete the character; use a plain space or line break.",
    ),
    _code(
        "Y107",
        "invisible or control character in a key or value",
        """Parsed keys and values are judged by Unicode category, not only the raw bytes: a
        YAML escape such as "\\u202E" or "\\x00" writes a character that a reviewer of the
        file cannot see. Format, control, private-use and unassigned characters and
        invisible fillers are refused wherever they come from.""",
        """
        content/facts/talks.yaml
            statement: "Azerbaijan \\u202Eaccused Armenia"
        """,
        "Remove the character; values are plain visible text.",
    ),
    _code(
        "Y105",
        "YAML file is too large",
        """A content file over 256 KiB is refused before it is read, so a huge or generated
        file cannot exhaust memory or time.""",
        """
        content/facts/all.yaml   (300 KiB)
        """,
        "Split it into several fact files; any file may hold any collection.",
    ),
    _code(
        "Y106",
        "YAML file is not a regular file",
        """A content file that is a symbolic link, a FIFO, a device or a directory named like
        a file is never opened: a link could publish a file from outside the repository, and
        reading a FIFO would wait forever.""",
        """
        content/facts/linked.yaml -> /etc/passwd
        """,
        "Replace the link (or whatever it is) with the file itself.",
        hint="store the file itself in the repository: not a link, a FIFO or a device",
    ),
    _code(
        "Y200",
        "YAML syntax error",
        """The file is not valid YAML. The error points where the problem starts: the opening
        quote or bracket that is never closed, or the tab that YAML does not allow for indentation.""",
        """
        content/facts/people.yaml
          - quote: "the talks began
        """,
        "Close the quote or bracket, or indent with spaces.",
    ),
    _code(
        "Y201",
        "YAML anchors and aliases are not allowed",
        """Anchors (`&a`) and aliases (`*a`) let a few bytes expand into gigabytes (an alias
        bomb) and hide what a value really is; fact files write every value out.""",
        """
        content/facts/people.yaml
        a: &a [x, x]
        b: *a
        """,
        "Write the value out in full.",
    ),
    _code(
        "Y202",
        "YAML tags are not allowed",
        """Tags (`!!python/object`, `!!binary`, `!include`, ...) ask the loader to build
        something other than text; every value in a content file is plain text.""",
        """
        content/facts/people.yaml
        note: !!python/object/apply:os.system [ls]
        """,
        "Remove the tag.",
    ),
    _code(
        "Y203",
        "duplicate key",
        """A key appears twice in one mapping. YAML would silently keep the last one; the build
        refuses both and says where the first is. `1` and `true` are keys like any other text.""",
        """
        content/facts/people.yaml
            quote: the talks began
            quote: the talks ended
        """,
        "Remove one of the two.",
    ),
    _code(
        "Y204",
        "mapping key is not a plain string",
        """A mapping key is itself a list or mapping (YAML's `? [a, b]` complex keys). Keys in
        content files are plain names.""",
        """
        content/facts/people.yaml
        ? [a, b]
        : c
        """,
        "Use a plain key such as `statement:`.",
        hint="write a plain key such as 'statement:'; content files have no complex keys ('? ...')",
    ),
    _code(
        "Y205",
        "more than one YAML document",
        """A second `---` starts another document in the same file, which would be ignored
        or merged unexpectedly; one file is one document.""",
        """
        content/facts/people.yaml
        participants: []
        ---
        statements: []
        """,
        "Remove the second document or move it to its own file.",
    ),
    _code(
        "Y206",
        "YAML nested too deeply",
        """Nesting deeper than the loader allows (fact files need a handful of levels) is
        refused before it can exhaust the stack.""",
        """
        content/facts/deep.yaml
        a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
        """,
        "Flatten the structure; a fact is a mapping of text, lists of text and citations.",
    ),
    _code(
        "Y207",
        "file is empty",
        """The file has no content, or only comments, so it defines nothing; an empty file
        is usually a mistake (a save that failed, a file meant to be deleted).""",
        """
        content/facts/people.yaml   (0 bytes, or only '# ...' lines)
        """,
        "Add a collection such as `participants: [...]`, or delete the file.",
    ),
    # V: validating keys, types and values (validate.py, model.py).
    _code(
        "V100",
        "not a mapping",
        """A fact file must be a mapping of collections (`statements:`, `participants:`, ...),
        each fact, each source's metadata and the site configuration a mapping of keys to
        values. A list or a bare sentence in their place has no keys to check.""",
        """
        content/facts/notes.yaml
        statements:
          - Blinken met both ministers.
        """,
        "Write the fact as keys: `- id: ...`, `statement: ...`, `attribution: ...`, `citations: ...`.",
    ),
    _code(
        "V101",
        "unknown key",
        """A key the model does not have: usually a typo (the hint suggests the key meant),
        sometimes a key in the wrong place. Unknown keys are errors, never ignored.""",
        """
        content/facts/people.yaml
          - id: antony-blinken
            pots: Secretary of State
        """,
        "Correct the key (`post:`); the hint lists the allowed keys.",
    ),
    _code(
        "V102",
        "missing required key",
        """A required key is absent, reported at the fact or citation that lacks it. A fact
        always says who asserts it: `attribution: null` for the publisher's own narration.""",
        """
        content/facts/talks.yaml
          - id: talks-held
            statement: The talks were held in Virginia.
            citations: [...]
        """,
        "Add the key (here `attribution:`).",
    ),
    _code(
        "V103",
        "invalid value",
        """A value of the wrong type or form: an id that is not a lowercase slug, a date that
        is not YYYY-MM-DD or not a real day, a URL that is not http(s)://host/..., an empty or
        overlong text, a value outside a fixed set. Every value is text; nothing is guessed
        from how it looks.""",
        """
        content/sources/x.yaml
        url: javascript:alert(1)
        """,
        "Write the value in the form the message gives.",
    ),
    _code(
        "V104",
        "date in the future",
        """A source's publication date or a derived date is after the build date. The build
        date is SOURCE_DATE_EPOCH, else the last commit's time, so a commit passes or fails the
        same way on any day.""",
        """
        content/sources/x.yaml
        published: 2031-01-01
        """,
        "Correct the date; nothing cited can be dated after the build.",
    ),
    # R: ids and references (validate.py).
    _code(
        "V106",
        "a fact under the wrong collection",
        """An item that is not valid in its collection but is valid in exactly one other
        (a statement under `participants:`) is reported once, with where it belongs,
        instead of one error for each key the wrong model does not know.""",
        """
        content/facts/talks.yaml
        participants:
          - id: blinken-urges-restraint
            statement: Blinken urged restraint.
            attribution: {by: antony-blinken, mode: said}
            citations: [...]
        """,
        "Move the item under the collection the hint names.",
    ),
    _code(
        "R101",
        "duplicate fact id",
        """Two facts have the same id, in one file or in two; ids are global because they are
        permalinks (`#fact-<id>`) and the targets of references.""",
        """
        content/facts/a.yaml and content/facts/b.yaml
          - id: talks-held
        """,
        "Give each fact its own id.",
    ),
    _code(
        "R102",
        "unknown source",
        """A citation names a source with no `content/sources/<id>.yaml`. The hint suggests a
        source id that is close.""",
        """
        content/facts/talks.yaml
            citations:
              - source: tdi-2023-05-20
        """,
        "Correct the id, or add the source.",
    ),
    _code(
        "R103",
        "unknown participant",
        """An attribution or a meeting names a participant id that no participant fact has,
        or an id that belongs to a fact of another kind.""",
        """
        content/facts/talks.yaml
            attribution: {by: jeyhun-bayramov, mode: said}
        """,
        "Use the id of a fact in `participants:` (the hint lists them), or add the participant.",
    ),
    _code(
        "R104",
        "unknown meeting",
        """A statement's `meeting:` names an id that no meeting fact has, or an id that belongs
        to a fact of another kind.""",
        """
        content/facts/talks.yaml
            meeting: blinken-bilateral
        """,
        "Use the id of a fact in `meetings:`, or add the meeting.",
    ),
    _code(
        "R105",
        "cited source could not be loaded",
        """The cited source exists but has errors of its own (its metadata, or its text is
        missing, unreadable or changed), so this citation cannot be verified. It follows another
        diagnostic: fix that one.""",
        """
        content/sources/x.txt   deleted, while content/facts/talks.yaml still cites 'x'
        """,
        "Fix the errors reported for the source's .yaml and .txt.",
    ),
    _code(
        "R106",
        "key figure is not a fact",
        """`key_figures:` in content/site.yaml lists the facts the home page shows first; each
        entry must be the id of a fact in content/facts/.""",
        """
        content/site.yaml
        key_figures:
          - casualty
        """,
        "Use the id of a fact (the hint suggests a close one), or remove the entry.",
    ),
    # S: stored source texts and their sentences (sources.py).
    _code(
        "S101",
        "source has no text file",
        """A source's metadata `<id>.yaml` has no `<id>.txt` beside it: there is no text to
        verify citations against.""",
        """
        content/sources/x.yaml   without content/sources/x.txt
        """,
        "Store the article verbatim as `<id>.txt`, or delete the metadata and every citation of it.",
    ),
    _code(
        "S102",
        "source text or sentence override is not valid UTF-8",
        """A source text (`<id>.txt`) or its sentence override (`<id>.sents`) is not UTF-8.
        Source texts are stored byte for byte as UTF-8; no encoding is guessed.""",
        """
        content/sources/x.txt   (saved as Latin-1: caf\\xe9)
        """,
        "Save the file as UTF-8, then record the new file's sha256 in `<id>.yaml`.",
        hint="save it as UTF-8; a re-saved .txt needs its new sha256 in the source's .yaml",
    ),
    _code(
        "S103",
        "sentence override has the wrong number of paragraphs",
        """A `<id>.sents` override lists one sentence per line with a blank line between
        paragraphs; it must have as many paragraphs as the text has non-empty lines. The split
        falls back to automatic segmentation.""",
        """
        content/sources/x.sents
        First sentence of paragraph one.
        First sentence of paragraph two.   (no blank line between them)
        """,
        "Separate paragraphs with one blank line; never change the text.",
    ),
    _code(
        "S104",
        "sentence override does not reproduce the text",
        """The sentences of a paragraph in `<id>.sents`, joined, are not that paragraph of the
        text: an override may move sentence boundaries, never change, add or drop words.""",
        """
        content/sources/x.sents
        The talks began on Monday.   (the text says 'Tuesday')
        """,
        "Copy the sentences from the text; change only where the lines break.",
    ),
    _code(
        "S105",
        "source text is too large",
        """A source text over 1 MiB is refused before it is read: a source is one article,
        and a huge file would slow every check.""",
        """
        content/sources/x.txt   (2 MiB)
        """,
        "Store only the article's own text.",
        hint="a source is one article: store only the article's own text",
    ),
    _code(
        "S106",
        "source file is not a regular file",
        """A source text or sentence override is a symbolic link, a FIFO, a device or a
        directory, or resolves outside content/sources/. A link would quote and publish a file
        from outside the repository; reading a FIFO would wait forever.""",
        """
        content/sources/evil.txt -> /etc/hostname
        """,
        "Replace the link with the text itself.",
        hint="store the file itself in content/sources/: not a link, a FIFO or a device",
    ),
    _code(
        "S107",
        "source text does not match its sha256",
        """Sources are stored byte for byte: the sha256 of `<id>.txt` must be the `sha256` its
        metadata records. A text that changed (an edit, a re-save, converted line endings)
        would otherwise silently change what every citation of it verifies against.""",
        """
        content/sources/x.txt    edited: '299 casualties' became '300 casualties'
        content/sources/x.yaml   sha256: (the checksum of the original text)
        """,
        """Restore the stored text. If the source itself really changed, update `sha256`
        (`sha256sum content/sources/<id>.txt`) and re-check every citation of it.""",
    ),
    _code(
        "S108",
        "two sentences share an anchor",
        """Each sentence's anchor is derived from its text (`s-` and 8 hex digits of a sha256).
        Two different sentences of one source whose anchors coincide could not be told apart
        by a link or a `sentence:` id.""",
        """
        content/sources/x.txt   two sentences whose hashes begin alike (rare: about one
                                source in tens of thousands of sentences)
        """,
        "Add a `<id>.sents` override that splits one of them differently.",
    ),
    _code(
        "S109",
        "control character in a source text",
        """A source text holds a control character or a bidirectional override (U+202A to
        U+202E), which is not text a reader could see or quote.""",
        """
        content/sources/x.txt
        The ministers\\x07 met in Virginia.
        """,
        "Store the article as it reads, without the character, and update its sha256.",
    ),
    _code(
        "S110",
        "source text is empty",
        """A source whose text file is empty (or only whitespace) has no sentence to cite, and
        would be published as a blank page.""",
        """
        content/sources/x.txt   (0 bytes)
        """,
        "Store the article's text, or remove the source.",
    ),
    _code(
        "S111",
        "sentence override cuts a word in two",
        """A `.sents` override may move sentence boundaries only between words: a boundary
        inside a word would turn one line of the source into two citable sentences.""",
        """
        content/sources/x.sents
        The ministers met in Virgi
        nia on Tuesday.
        """,
        "Move the line break to a space between words.",
    ),
    # C: citations (cite.py).
    _code(
        "C201",
        "quote not found in source",
        """The quote is in no sentence of the source, even with whitespace, typographic quotes
        and dashes folded. The hint shows the closest sentence with the differing words marked.""",
        """
        content/facts/talks.yaml
              - source: tdi-2023-05-02
                quote: the US Secretary of State   (the source has 'U.S.')
        """,
        'Copy the words from the source; `factsheet cite <source> "a few words"` prints the citation.',
    ),
    _code(
        "C202",
        "quote matches several sentences",
        """The quote occurs in more than one sentence, so it does not say which one is cited.
        The message lists the sentences with their ids.""",
        """
        content/facts/talks.yaml
                quote: Armenia
        """,
        "Quote more words, or add `sentence: s-xxxxxxxx` (an id the message lists).",
    ),
    _code(
        "C203",
        "quote crosses a sentence boundary",
        """The quote runs from one sentence into the next. Each citation points at one
        sentence, so a reader lands on the sentence that says it.""",
        """
        content/facts/talks.yaml
                quote: during the meeting. Both diplomats
        """,
        "Cite one sentence per citation; add a second citation for the other sentence.",
    ),
    _code(
        "C204",
        "number not in the quote",
        """A number in a fact's value or statement does not occur in any of its quotes, after
        thousands separators are normalised. The fact would state more than the source does.""",
        """
        content/facts/landmines.yaml
            value: "298"
            citations: [{quote: "299 people have been killed or injured ..."}]
        """,
        "State only what the source states; put a value you computed under `derived:`.",
    ),
    _code(
        "C205",
        "quote is not a claim",
        """The quote is in a heading or a related-link line ("Also Read: ...") of the source,
        which states nothing.""",
        """
        content/facts/talks.yaml
                quote: "Also Read:"
        """,
        "Cite the sentence of the article that states it.",
    ),
    _code(
        "C206",
        "quote is not in the given sentence",
        """The citation's `sentence:` id names a sentence that does not hold the quote, or no
        sentence of that source at all; the hint lists where the quote does occur.""",
        """
        content/facts/talks.yaml
                quote: Armenia
                sentence: s-00000000
        """,
        "Use one of the sentence ids the hint lists.",
    ),
    _code(
        "C207",
        "quote starts or ends inside a word",
        """A quote must begin and end where the source's words do: `regional harm` would
        otherwise verify against a sentence that says "regional harmony".""",
        """
        content/facts/talks.yaml
                quote: achieving lasting harm
        """,
        "Quote whole words of the sentence.",
    ),
    _code(
        "C208",
        "quote is too short to verify",
        """A quote of one word or a few letters proves little about what the source says;
        a quote has at least two words and eight letters or digits (cite.MIN_QUOTE_WORDS,
        cite.MIN_QUOTE_CHARS).""",
        """
        content/facts/talks.yaml
                quote: a
                sentence: s-fbf7a2d9
        """,
        "Quote enough of the sentence to show what it states.",
    ),
    _code(
        "S112",
        "source text without metadata",
        """Every `content/sources/<id>.txt` needs its `<id>.yaml`: a text without metadata
        cannot be cited (who published it, when, where), and is never silently ignored.""",
        """
        content/sources/city-news-2024-05-02.txt   (no city-news-2024-05-02.yaml beside it)
        """,
        "Create the .yaml file; the hint gives the text's sha256 to paste.",
    ),
    _code(
        "C209",
        "a value is in no quote",
        """A value a reader sees as a fact (a place, a date, a post, a measure, whom an
        allegation is against) must be stated in a quote that backs it: in the short form
        (`place: Arlington`) a quote of the fact, in the long form the value's own citations.""",
        """
        content/facts/talks.yaml
            place: Washington D.C.      (no quote of this fact says Washington D.C.)
        """,
        "Copy the words of the source, give the value citations of its own, or write null (not stated).",
    ),
    _code(
        "S113",
        "a language the sentence splitter does not know",
        """A source's `language` decides how its text is split into sentences (pysbd's rules
        for that language); a language pysbd has no rules for cannot be split faithfully.""",
        """
        content/sources/x.yaml
        language: sw
        """,
        "Give the source's language as pysbd knows it (the hint lists them), e.g. en, fr, de.",
    ),
    # L: content layout and the build environment (pipeline.py).
    _code(
        "L101",
        "content directory is missing",
        """`content/sources/` or `content/facts/` does not exist (a run in the wrong directory,
        or the directory was renamed).""",
        """
        content/facts/   (absent)
        """,
        "Run from the project's root (or pass `--root`), or create the directory.",
        hint="run from the project's root (or pass --root); a project keeps content/sources/ and content/facts/",
    ),
    _code(
        "L102",
        "file name is not a valid id",
        """A content file's name (without `.yaml`) is its id: lowercase ASCII letters, digits
        and `-`. Other names are skipped, so two names that differ only in case (`Bridge.yaml`,
        `bridge.yaml`) or in a look-alike character cannot both be used.""",
        """
        content/facts/Participants.yaml
        """,
        "Rename the file, e.g. `participants.yaml`.",
    ),
    _code(
        "L104",
        "content directory is a symbolic link",
        """`content/`, `content/sources/` or `content/facts/` is a symbolic link. Content must
        live in the repository, where a pull request shows every change to it.""",
        """
        content/facts -> /somewhere/else
        """,
        "Replace the link with the directory itself.",
    ),
    _code(
        "L105",
        "SOURCE_DATE_EPOCH is not a number",
        """SOURCE_DATE_EPOCH, the build date that dates in content are judged against, is set
        but is not a whole number of seconds.""",
        """
        SOURCE_DATE_EPOCH=yesterday factsheet check
        """,
        "Set it to a Unix time, e.g. `$(git log -1 --format=%ct)`, or unset it.",
    ),
    _code(
        "L106",
        "site configuration is missing",
        """content/site.yaml, the fact sheet's own configuration (title, description,
        introduction, publisher, contact, licence, key figures), does not exist or is not a
        regular file.""",
        """
        content/site.yaml   (absent)
        """,
        "Create it; `factsheet new DIR` writes one to start from.",
    ),
]

# By stage, then by number, however the entries above are ordered.
CODES: dict[str, Code] = {c.code: c for c in sorted(_ALL, key=lambda c: (list(STAGES).index(c.code[0]), c.code))}
del _ALL


def lookup(code: str) -> Code | None:
    return CODES.get(code.strip().upper())


def did_you_mean(code: str) -> list[str]:
    """Codes close to a mistyped one, nearest first."""
    return difflib.get_close_matches(code.strip().upper(), CODES, n=3, cutoff=0.5)


def explain(c: Code) -> str:
    """What `factsheet explain CODE` prints."""
    lines = [f"{c.code} ({c.stage}): {c.title}", ""]
    lines += textwrap.wrap(c.explanation, 88)
    lines += ["", "For example:", *("    " + line for line in c.example.splitlines()), ""]
    lines += textwrap.wrap(f"Fix: {c.fix}", 88)
    if c.hint:
        lines += ["", *textwrap.wrap(f"Default hint: {c.hint}", 88)]
    lines += ["", f"Documented in {c.doc}"]
    return "\n".join(lines)


def listing() -> str:
    """What `factsheet explain` with no code prints: every code and its title, by stage."""
    lines = []
    for letter, stage in STAGES.items():
        lines.append(f"{letter}: {stage}, {STAGE_TITLES[stage]}")
        lines += [f"  {c.code}  {c.title}" for c in CODES.values() if c.stage == stage]
    lines.append(f"{len(CODES)} codes; 'factsheet explain CODE' for one, documented in {DOC_PAGE}")
    return "\n".join(lines)


def markdown() -> str:
    """DIAGNOSTICS.md, generated from the catalogue (`factsheet explain --markdown`)."""
    out = [
        "# Diagnostic codes",
        "",
        "<!-- generated by `factsheet explain --markdown > DIAGNOSTICS.md` from generator/codes.py;"
        " tests/test_codes.py checks it is up to date -->",
        "",
        "Every problem `factsheet check` finds is printed as `file:line:column: error[CODE] message`,",
        "often with a `hint:` line. The code's letter is the stage that found it. `factsheet explain CODE`",
        "prints the entry below in a terminal.",
        "",
        "| code | stage | title |",
        "|---|---|---|",
    ]
    out += [f"| [{c.code}](#{c.code.lower()}) | {c.stage} | {c.title} |" for c in CODES.values()]
    for letter, stage in STAGES.items():
        out += ["", f"## {letter}: {stage}", "", f"{STAGE_TITLES[stage][0].upper()}{STAGE_TITLES[stage][1:]}."]
        for c in CODES.values():
            if c.stage != stage:
                continue
            out += ["", f'<a id="{c.code.lower()}"></a>', "", f"### {c.code}: {c.title}", "", c.explanation, ""]
            out += ["```text", c.example, "```", "", f"**Fix.** {c.fix}"]
            if c.hint:
                out += ["", f"Default hint: *{c.hint}*"]
    return "\n".join(out) + "\n"
