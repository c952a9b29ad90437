"""Properties of time expressions over generated text: no exception, spans that hold their text, intervals in
order, expressions left to right without overlap."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from dyadwatch.nlp.timex import date_line, explicit_years, find_time_expressions, resolve

DATE_WORDS = st.sampled_from([
    "May", "march", "June", "Sept.", "December", "spring", "autumn", "Q3", "H1", "the first half of", "the end of",
    "early", "mid-", "late", "last year", "this year", "next month", "yesterday", "1990s", "the 2010s", "2021",
    "1999", "2099", "0", "31", "29", "february", "14–15", "2015-2020", "2015 to 2020", "from", "to", "until", "by",
    "in", "on", "since", "/", ".", "-", "–", ",", "(", ")", "2021-06-03", "03.06.2021", "6/3/2021", "FY2022",
    "No.", "USD", "%", "million", "the", "quarter", "decade", "ago", "\n", " ", "st", "nd", "th", "Monday",
])
DIGITS = st.integers(0, 99999).map(str)
TEXT = st.lists(st.one_of(DATE_WORDS, DIGITS, st.text(max_size=5)), max_size=40).map(" ".join)
ANCHOR = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
YEAR = st.one_of(st.none(), st.integers(1, 9999))


@given(TEXT, ANCHOR, YEAR)
def test_time_expressions_hold_their_text_and_their_interval_is_in_order(text: str, anchor, year):
    found = find_time_expressions(text, anchor, year)
    for expression in found:
        assert text[expression.start:expression.end] == expression.text
        assert expression.begin <= expression.end_date
        assert expression.precision in ("day", "month", "year")
        assert expression.value.startswith(f"{expression.begin.year:04d}") or expression.value[:4].isdigit()
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@given(TEXT, ANCHOR, YEAR)
def test_resolving_a_phrase_and_reading_date_lines_and_years_never_fail(text: str, anchor, year):
    resolve(text, anchor, year)
    line = date_line(text)
    assert line is None or text[line.start:line.end] == line.text
    for offset, found_year in explicit_years(text):
        assert str(found_year) in text[offset:offset + 12]
