"""From a read Document to its records, with offsets into the original text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from dyadwatch.ingest.clean import CleanText, clean, paragraphs, strip_span, unwrapped
from dyadwatch.ingest.metadata import read_metadata
from dyadwatch.knowledge import Knowledge
from dyadwatch.model import Claim, Document, Event, Extraction, Mention, Quantity, Sentence, Span
from dyadwatch.nlp.build import PIPELINE_VERSION, build_nlp, knowledge_for, model_name
from dyadwatch.nlp.coder.model import DEFAULT_CODER
from dyadwatch.nlp.context import ActorMention, ParagraphContext, actors_in, code_of, found_in
from dyadwatch.nlp.dates import last_time_told, period_year
from dyadwatch.nlp.dates import recent_year as _recent
from dyadwatch.nlp.dyad import DyadFinder
from dyadwatch.nlp.tables import header_at_end
from dyadwatch.nlp.timex import explicit_years, resolve
from dyadwatch.periods import last_day

HEADING_MAX_CHARS = 120
# Longer blocks are parsed in pieces cut at a line or sentence end: the event coder's work grows with the
# square of a block's length, and spaCy refuses a Doc over a million characters (E088).
MAX_PARAGRAPH_CHARS = 3000
# Longer stretches without a space are tokenized in slices: spaCy's prefix and suffix search is quadratic
# in a stretch's length (20,000 '[' took minutes).
MAX_RUN_CHARS = 200
LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")
SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s")


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    heading: str


@dataclass
class Parsed:
    """A document's cleaned text, its paragraphs and their Docs (produced as they are read)."""

    cleaned: CleanText
    paragraphs: list[Paragraph]
    docs: Iterable[Doc]


class Extractor:
    """The whole extraction: clean, read metadata, run the spaCy pipeline per paragraph, map offsets back."""

    def __init__(self, knowledge_dirs: Iterable[str] = (), dyad: tuple[str, ...] = (),
                 coder: str = DEFAULT_CODER) -> None:
        self.knowledge_dirs = tuple(str(d) for d in knowledge_dirs)
        self.knowledge: Knowledge = knowledge_for(self.knowledge_dirs)
        self.coder = coder
        self.nlp = build_nlp(self.knowledge_dirs, coder)
        self.dyads = DyadFinder(self.knowledge)
        self.places = frozenset(word for c in self.knowledge.countries
                                for name in (c.name, *c.demonyms) for word in name.split())
        self.given_dyad = dyad
        self.version = PIPELINE_VERSION
        self.model = model_name()

    def extract(self, document: Document) -> Extraction:
        """Fill in the document's metadata and return its records.

        Each document goes through the pipeline in a stream of its own: the event coder's int8 encoder makes
        a sentence's reading depend slightly on the sentences batched with it, and a document's records must
        not depend on which documents it was ingested with, nor on the number of workers."""
        parsed = self.parse(document)
        extraction = Extraction()
        for index, (paragraph, doc) in enumerate(zip(parsed.paragraphs, parsed.docs, strict=True)):
            _collect(extraction, doc, document.text, parsed.cleaned, paragraph, index)
        return extraction

    def parse(self, document: Document) -> Parsed:
        """Fill in the document's metadata and run the pipeline over its paragraphs (lazily)."""
        cleaned = clean(document.text, self.knowledge.furniture)
        self._describe(document, cleaned)
        dyad = self.dyads.dyad(cleaned.text, self.given_dyad)
        blocks = paragraph_blocks(cleaned.text)
        short_forms = self._short_forms(cleaned.text)
        docs = self.nlp.pipe(self._docs(cleaned.text, blocks, document, dyad, short_forms), batch_size=64)
        return Parsed(cleaned, blocks, docs)

    def _describe(self, document: Document, cleaned: CleanText) -> None:
        meta = read_metadata(cleaned.text, self.places)
        document.title = document.title or meta.title
        document.authors = document.authors or meta.authors
        document.publisher = document.publisher or meta.publisher
        document.language = meta.language
        stated = resolve(document.date) if document.date else None
        if stated is not None:
            document.date, document.date_precision, document.date_inferred = stated.value, stated.precision, False
        else:
            document.date, document.date_precision = meta.date, meta.date_precision
            document.date_inferred = meta.date_inferred

    def _short_forms(self, text: str) -> tuple[tuple[str, str], ...]:
        """The head nouns by which the document may name again an institution it names in full."""
        if "dyadwatch_actors" not in self.nlp.pipe_names:
            return ()
        return tuple(sorted(self.nlp.get_pipe("dyadwatch_actors").short_forms(text).items()))

    def _docs(self, text: str, blocks: list[Paragraph], document: Document, dyad: tuple[str, ...],
              short_forms: tuple[tuple[str, str], ...]) -> Iterator[Doc]:
        anchor = _as_date(document.date)
        year = anchor.year if anchor else None
        time = None  # the last time the paragraphs so far told of
        title_period = period_year(document.title or "")
        table = TableState()
        for index, block in enumerate(blocks):
            doc = self._make_doc(text[block.start:block.end])
            period = period_year(block.heading) or title_period
            header, caption = table.next(text, block)
            doc._.context = ParagraphContext(offset=block.start, index=index, anchor=anchor,
                                             anchor_value=document.date, anchor_precision=document.date_precision,
                                             anchor_inferred=document.date_inferred, year_in_force=year,
                                             time_in_force=time, heading=block.heading, period_year=period, dyad=dyad,
                                             short_forms=short_forms, table_header=header, table_caption=caption)
            time = last_time_told(text[block.start:block.end], anchor, year, document.date_precision == "day", time)
            years = [y for _, y in explicit_years(text[block.start:block.end]) if _recent(y, anchor)]
            if years:
                year = years[-1]
            yield doc

    def _make_doc(self, text: str) -> Doc:
        """The tokenized paragraph, its wrapped lines read as running text (`unwrapped`: same length); long
        stretches without a space are tokenized in slices (same text)."""
        text = unwrapped(text)
        runs = [match.span() for match in LONG_RUN.finditer(text)]
        if not runs:
            return self.nlp.make_doc(text)
        parts, at = [], 0
        for start, end in runs:
            if at < start:
                parts.append(text[at:start])
            parts.extend(text[i:min(i + MAX_RUN_CHARS, end)] for i in range(start, end, MAX_RUN_CHARS))
            at = end
        if at < len(text):
            parts.append(text[at:])
        return Doc.from_docs([self.nlp.make_doc(part) for part in parts], ensure_whitespace=False)


@dataclass
class TableState:
    """What the next paragraph needs of the tables before it: a long table is cut into pieces at line breaks,
    each piece after the first read under the first's header; a table's title is the heading line before it."""

    open_header: str = ""  # the header rows of the table the last piece ended inside
    caption: str = ""
    previous: tuple[int, int] = (0, 0)

    def next(self, text: str, block: Paragraph) -> tuple[str, str]:
        """The (header, caption) the table that `block` begins with is read under."""
        continues = bool(self.open_header) and "\n\n" not in text[self.previous[1]:block.start]
        header = self.open_header if continues else ""
        if not continues:
            before = text[self.previous[0]:self.previous[1]]
            self.caption = before if text.startswith("|", block.start) and before == block.heading else ""
        self.open_header, self.previous = header_at_end(text[block.start:block.end], header), (block.start, block.end)
        return header, self.caption


def paragraph_blocks(text: str) -> list[Paragraph]:
    """Paragraphs with the heading in force over each (a short line without a full stop); a long one is
    cut into pieces of at most MAX_PARAGRAPH_CHARS."""
    blocks, heading = [], ""
    for start, end in paragraphs(text):
        chunk = text[start:end]
        if "\n" not in chunk and len(chunk) <= HEADING_MAX_CHARS and not chunk.rstrip().endswith((".", ":", ";")):
            heading = chunk
        blocks.extend(Paragraph(s, e, heading) for s, e in pieces(text, start, end, MAX_PARAGRAPH_CHARS))
    return blocks


def pieces(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """[start, end) cut into stripped spans of at most `limit` characters: at the last line break of each
    stretch, else after its last sentence end, else at its last space, else anywhere."""
    spans = []
    while end - start > limit:
        cut = _cut(text, start, start + limit)
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return [stripped for stripped in (strip_span(text, s, e) for s, e in spans) if stripped[1] > stripped[0]]


def _cut(text: str, start: int, stop: int) -> int:
    """Where to end a piece that starts at `start` and may not reach past `stop` (a cut in its second half)."""
    half = start + (stop - start) // 2
    line = text.rfind("\n", half, stop)
    if line >= 0:
        return line + 1
    ends = [match.end() for match in SENTENCE_END.finditer(text, half, stop)]
    if ends:
        return ends[-1]
    space = max(text.rfind(" ", half, stop), text.rfind("\t", half, stop))
    return space + 1 if space >= 0 else stop


def _as_date(value: str | None) -> date | None:
    """The last day of the period a document date names: the writer's "now" is its end, not its start."""
    return date.fromisoformat(last_day(value)) if value else None


def _collect(extraction: Extraction, doc: Doc, original: str, cleaned: CleanText, paragraph: Paragraph,
             index: int) -> None:
    """Turn one paragraph's findings into records with offsets into the original text."""

    def span(start: int, end: int) -> Span:
        return Span(*cleaned.to_original(paragraph.start + start, paragraph.start + end))

    for sentence in doc.sents:
        if not sentence.text.strip():
            continue
        where = span(sentence.start_char, sentence.end_char)
        extraction.sentences.append(Sentence(where.start, where.end, original[where.start:where.end], index,
                                             paragraph.heading))
    for mention in actors_in(doc):
        if mention.end <= mention.start:
            continue
        where = span(doc[mention.start].idx, doc[mention.end - 1].idx + len(doc[mention.end - 1].text))
        for code in mention.codes:
            extraction.mentions.append(Mention(where.start, where.end, original[where.start:where.end], code))
    found = found_in(doc)
    for event in found.events:
        evidence = span(*event.clause)
        extraction.events.append(Event(
            type=event.type, mode=event.mode, source=code_of(event.source), target=code_of(event.target),
            evidence=evidence, quote=original[evidence.start:evidence.end], trigger=span(*event.trigger),
            domain=event.domain, date=event.date, date_precision=event.date_precision, negated=event.negated,
            intensity=event.intensity, source_span=_mention_span(doc, event.source, span),
            target_span=_mention_span(doc, event.target, span), confidence=event.confidence,
            date_source=event.date_source, date_begin=event.date_begin, date_end=event.date_end))
    for figure in found.figures:
        evidence = span(*figure.sentence)
        extraction.quantities.append(Quantity(
            value=figure.value, unit=figure.unit, evidence=evidence, quote=original[evidence.start:evidence.end],
            measure=figure.measure, bound=figure.bound, date=figure.date))
    for claim in found.claims:
        evidence = span(*claim.span)
        extraction.claims.append(Claim(kind=claim.kind, evidence=evidence,
                                       quote=original[evidence.start:evidence.end], holder=claim.holder,
                                       horizon=claim.horizon))



def _mention_span(doc: Doc, mention: ActorMention | None, span: Callable[[int, int], Span]) -> Span | None:
    if mention is None or mention.end <= mention.start:
        return None
    last = doc[mention.end - 1]
    return span(doc[mention.start].idx, last.idx + len(last.text))
