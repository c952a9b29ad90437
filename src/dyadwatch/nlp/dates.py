"""The timex component: resolved time expressions per sentence, the year in force carried along."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from dyadwatch.nlp.context import context_of, found_in
from dyadwatch.nlp.timex import TimeExpression, explicit_years, find_time_expressions


@Language.component("dyadwatch_timex")
def resolve_dates(doc: Doc) -> Doc:
    """Store every time expression of the paragraph on `doc._.found.time_expressions` (Doc offsets),
    and the year in force at the start of each sentence on `doc._.found.year_at`."""
    context = context_of(doc)
    year = context.year_in_force
    time = context.time_in_force  # the last time told of, this paragraph's as they come
    found = found_in(doc)
    for sentence in doc.sents:
        found.year_at[sentence.start_char] = year
        for expression in find_time_expressions(sentence.text, context.anchor, year,
                                                anchor_is_day=context.anchor_precision == "day", time_in_force=time):
            shift = sentence.start_char
            found.time_expressions.append(replace(expression, start=expression.start + shift,
                                                  end=expression.end + shift))
            time = expression if expression.narrative else time
        recent = [y for _, y in explicit_years(sentence.text) if recent_year(y, context.anchor)]
        if recent:
            year = recent[-1]
    return doc


def last_time_told(text: str, anchor: date | None, year: int | None, anchor_is_day: bool,
                   time: TimeExpression | None) -> TimeExpression | None:
    """The last time a paragraph tells of, else `time` (the one before it): where the offsets of the next
    paragraph count from ("Two weeks later, ...")."""
    for expression in find_time_expressions(text, anchor, year, anchor_is_day=anchor_is_day, time_in_force=time):
        if expression.narrative:
            time = expression
    return time


HISTORY_YEARS = 15  # a year further back than this is a historical reference ('the lessons of 1941')


def recent_year(year: int, anchor: date | None) -> bool:
    """Whether a year named in passing can be the year in force for the dates after it."""
    return anchor is None or anchor.year - HISTORY_YEARS <= year <= anchor.year + 1


# A title or heading that names the period it covers: 'Relations in 2018', 'Trends after March 2019'.
PERIOD_COVERED = re.compile(r"\b(?:in|after|since|during|post-|throughout)\s*(?:[A-Z][a-z]+\s+)?((?:19|20)\d\d)\b")


def period_year(line: str) -> int | None:
    """The year a title or heading says its text is about, or None."""
    found = PERIOD_COVERED.findall(line)
    return int(found[-1]) if found else None
