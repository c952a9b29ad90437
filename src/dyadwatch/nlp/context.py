"""What every component may read or write on a paragraph Doc (spaCy extensions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.tokens import Doc

from dyadwatch.nlp.timex import TimeExpression


@dataclass(frozen=True)
class ParagraphContext:
    """Where a paragraph sits in its document; set before the pipeline runs."""

    offset: int = 0                 # offset of the paragraph in the cleaned document text
    index: int = 0
    anchor: date | None = None      # the document's date: the writer's "now" (the last day it names)
    anchor_value: str | None = None  # the document's date as written: '2021-06-03', '2021-06', '2021'
    anchor_precision: str | None = None
    anchor_inferred: bool = False   # no date line: the latest date the text mentions
    year_in_force: int | None = None
    time_in_force: TimeExpression | None = None  # the last time the paragraphs before told of ("a week later")
    heading: str = ""
    period_year: int | None = None  # the year the section heading (else the title) says it covers
    dyad: tuple[str, ...] = ()      # the two countries the document is about
    short_forms: tuple[tuple[str, str], ...] = ()  # (head noun, code): institutions named in full in the document
    table_header: str = ""  # the header rows of a table this piece of a long paragraph continues
    table_caption: str = ""  # the title line before the table this paragraph begins with


@dataclass(frozen=True)
class ActorMention:
    """Tokens [start, end) of a paragraph Doc that name one or more actors."""

    start: int
    end: int
    codes: tuple[str, ...]
    kind: str

    @property
    def country(self) -> str:
        return self.codes[0].split("-")[0]


def code_of(mention: ActorMention | None) -> str | None:
    """The (first) actor code of a mention that may be missing."""
    return mention.codes[0] if mention is not None else None


@dataclass
class Found:
    """Records found in a paragraph, offsets relative to the paragraph Doc's text.

    The element types (TimeExpression, FoundFigure, CodedEvent, FoundClaim) live in the
    component modules, which import this one; they are named here for the reader.
    """

    time_expressions: list[TimeExpression] = field(default_factory=list)
    year_at: dict[int, int | None] = field(default_factory=dict)  # sentence start -> year in force there
    figures: list[Any] = field(default_factory=list)  # FoundFigure
    events: list[Any] = field(default_factory=list)  # CodedEvent
    claims: list[Any] = field(default_factory=list)  # FoundClaim


def register_extensions() -> None:
    """Declare the Doc attributes the components share (idempotent)."""
    for name, default in (("context", None), ("actors", None), ("found", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def context_of(doc: Doc) -> ParagraphContext:
    return doc._.context or ParagraphContext()


def found_in(doc: Doc) -> Found:
    if doc._.found is None:
        doc._.found = Found()
    return doc._.found


def actors_in(doc: Doc) -> list[ActorMention]:
    return doc._.actors or []
