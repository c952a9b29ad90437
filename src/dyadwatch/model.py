"""The records that pass between stages: typed, immutable where they can be."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DatePrecision = Literal["day", "month", "year"]
ClaimKind = Literal["forecast", "recommendation"]

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
DOMAINS = ("politics", "economy", "energy", "finance", "military", "security", "transport", "society")


@dataclass(frozen=True)
class Span:
    """Character offsets into a document's original text."""

    start: int
    end: int


@dataclass
class Document:
    """A file as read: its original text and what we know about it."""

    path: str
    name: str
    format: str
    text: str
    sha256: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    date: str | None = None
    date_precision: DatePrecision | None = None
    date_inferred: bool = False
    language: str = "en"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    heading: str = ""


@dataclass(frozen=True)
class Mention:
    """A stretch of text that names an actor."""

    start: int
    end: int
    text: str
    code: str


@dataclass
class Event:
    type: str
    source: str | None
    target: str | None
    evidence: Span
    quote: str
    trigger: Span
    mode: str = ""
    domain: str = "politics"
    date: str | None = None
    date_precision: DatePrecision | None = None
    negated: bool = False
    intensity: float = 0.0
    source_span: Span | None = None
    target_span: Span | None = None
    confidence: float = 1.0  # calibrated probability that type, source and target are right
    date_source: str = ""  # where the date came from: the phrase, 'document date', 'no date in the text'
    # The first and last day the date's phrase allows ("the end of June" is 21-30 June at month precision).
    date_begin: str | None = None
    date_end: str | None = None


@dataclass
class Quantity:
    value: float
    unit: str
    evidence: Span
    quote: str
    measure: str = ""
    bound: str | None = None
    date: str | None = None


@dataclass
class Claim:
    kind: ClaimKind
    evidence: Span
    quote: str
    holder: str = "author"
    horizon: str | None = None


@dataclass
class Extraction:
    """Everything the pipeline found in one document, offsets in its original text."""

    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
