"""The quantities component: figures with value, unit, what they measure and when."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from dyadwatch.knowledge.currencies import bundled_currencies
from dyadwatch.nlp.context import context_of, found_in
from dyadwatch.nlp.quantities import find_figures, measure_of
from dyadwatch.nlp.tables import table_figures, table_spans


@dataclass
class FoundFigure:
    value: float
    unit: str
    bound: str | None
    span: tuple[int, int]          # the figure itself, Doc offsets
    sentence: tuple[int, int]
    measure: str
    date: str | None
    dated_by_table: bool = False  # a table's row or column says when: no other date is chosen for it


@Language.component("dyadwatch_quantities")
def find_quantities(doc: Doc) -> Doc:
    """Store the figures of each sentence, and of each table, on `doc._.found.figures`."""
    found, context = found_in(doc), context_of(doc)
    tables = table_spans(doc.text, context.table_header)
    sentences = [s for s in doc.sents if not any(start <= s.start_char < end for start, end in tables)]
    found.figures.extend(_sentence_figures(doc, sentences))  # a table's lines are read with their headers instead
    found.figures.extend(_table_figures(doc))
    found.figures.sort(key=lambda figure: figure.span)
    return doc


def _sentence_figures(doc: Doc, sentences: list[Span]) -> Iterator[FoundFigure]:
    found, context, currencies = found_in(doc), context_of(doc), bundled_currencies()
    for sentence in sentences:
        shift = sentence.start_char
        year = found.year_at.get(shift, context.year_in_force)
        times = [t for t in found.time_expressions if shift <= t.start < sentence.end_char and not t.attributive]
        for figure in find_figures(sentence.text):
            start, end = figure.start + shift, figure.end + shift
            nearest = min(times, key=lambda t: abs(t.start - start), default=None)
            yield FoundFigure(
                value=figure.value, unit=currencies.in_dyad(figure.unit, context.dyad), bound=figure.bound,
                span=(start, end), sentence=(sentence.start_char, sentence.end_char),
                measure=measure_of(sentence, start, end),
                date=nearest.value if nearest else (str(year) if year else None))


def _table_figures(doc: Doc) -> Iterator[FoundFigure]:
    found, context, currencies = found_in(doc), context_of(doc), bundled_currencies()
    for figure in table_figures(doc.text, context.year_in_force, context.table_header, context.table_caption):
        year = found.year_at.get(figure.row[0], context.year_in_force)
        yield FoundFigure(
            value=figure.value, unit=currencies.in_dyad(figure.unit, context.dyad), bound=figure.bound,
            span=(figure.start, figure.end), sentence=figure.row, measure=figure.measure.lower(),
            date=figure.time.value if figure.time else (str(year) if year else None),
            dated_by_table=figure.time is not None)
