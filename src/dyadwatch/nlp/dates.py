"""The timex component: resolved time expressions per sentence, the year in force carried along."""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from dyadwatch.nlp.context import context_of, found_in
from dyadwatch.nlp.timex import explicit_years, find_time_expressions


@Language.component("dyadwatch_timex")
def resolve_dates(doc: Doc) -> Doc:
    """Store every time expression of the paragraph on `doc._.found.time_expressions` (Doc offsets)."""
    context = context_of(doc)
    year = context.year_in_force
    found = found_in(doc)
    for sentence in doc.sents:
        for expression in find_time_expressions(sentence.text, context.anchor, year):
            shift = sentence.start_char
            found.time_expressions.append(replace(expression, start=expression.start + shift,
                                                  end=expression.end + shift))
        years = explicit_years(sentence.text)
        if years:
            year = years[-1][1]
    return doc
