"""Find and resolve time expressions in English report text.

Pure regular expressions, compiled once at import: dateparser was tried and dropped, because it
is slow, reads the second day of a range such as "14–15 March" as a year and has no notion of
"the year in force" in a paragraph.

Conventions (see ../shared/gold/SCHEMA.md):

* ``value`` is ISO at the precision the text supports ("2021-06-03", "2021-06", "2021");
  ``begin``/``end_date`` carry the exact interval, which may be narrower than the value
  ("early May" is 1-10 May, "the third quarter of 2019" is July-September 2019) or span
  several units (a range "2012-2016" has value "2012", end_date 2016-12-31).
* A range is one expression whose value is its first day/month/year and whose ``end_date`` is
  its last day: "14–15 March", "May–July 2021", "2015 to 2020". Two phrases joined by "to" that
  are not both of one shape ("March 2018 to the end of 2019") stay two expressions.
* Spans leave out a leading "the", prepositions and weekdays ("in May" -> "May"; "the end of
  May" -> "end of May"; "from 2015 to 2020" -> "2015 to 2020"; "Thursday, 3 June" -> "3 June").
* Day, month and season expressions without a year take the year in force, else the anchor's
  year. When that puts them after the anchor (the writer's "now") in a sentence with no sign of
  the future, they are taken to be the year before: "ratified on November 14" in a text dated
  October 2019 is 14 November 2018. "the end of the year" is never moved: it names the year
  under discussion. Explicit years in the text become the year in force as they come, except
  ranges, deadlines ("by 2030"), look-backs ("back in 2016") and asides in parentheses.
* Deictic expressions ("last year", "this autumn", "December last year", "yesterday") need
  the anchor and are skipped without one. "today", "now", "recently", "soon" and weekdays alone
  are not returned: in analytic writing "today" mostly means "nowadays".
* Not dates: durations ("two decades", "for 20 years"), counts ("1,880 types"), money
  ("USD 2021 million"), page and serial numbers ("No.512"), percentages ("2020%").
"""

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from types import MappingProxyType

DAY = "day"
MONTH = "month"
YEAR = "year"


@dataclass(frozen=True)
class TimeExpression:
    start: int  # char offset in the text passed in
    end: int
    text: str  # text[start:end]
    value: str  # ISO at the precision the text supports: "2021-06-03", "2021-06", "2021"
    precision: str  # "day" | "month" | "year"
    begin: date  # first day of the interval it denotes
    end_date: date  # last day of the interval
    relative: bool  # resolved against the anchor or the year in force
    attributive: bool = False  # a year naming a thing ('the 2010 trade agreement'), not when something happens
    narrative: bool = False  # the time the text is telling of moves to it (an offset like "a day later" counts from it)


# ---------------------------------------------------------------------------------------------
# Vocabulary

# Read-only views: the module holds no state that a call could change.
_FULL_MONTHS = MappingProxyType({
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
})  # fmt: skip
_ABBREVIATED_MONTHS = MappingProxyType({
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
})  # fmt: skip
_MONTH_NUMBERS = MappingProxyType({**_FULL_MONTHS, **_ABBREVIATED_MONTHS})

# Lower-case month words that are never anything else; "may", "march" and "august" are.
_LOWERCASE_SAFE_MONTHS = frozenset(
    {"january", "february", "april", "june", "july", "september", "october", "november", "december"}
)
# Month words that also are common English words or names: alone they need a preposition or
# modifier before them ("in May", "early March") to count as dates.
_AMBIGUOUS_MONTH_WORDS = frozenset({"may", "march", *_ABBREVIATED_MONTHS})

# First month of each season (northern hemisphere); every season lasts three months.
_SEASON_START = MappingProxyType({"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12})

_NUMBER_WORDS = MappingProxyType({
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
})  # fmt: skip
_ORDINALS = MappingProxyType({"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4})


# ---------------------------------------------------------------------------------------------
# Pattern fragments. Each takes the group name, because one pattern may hold two of a kind.


def _month_words() -> str:
    """Month names: capitalised or upper case, lower case only where the word is unambiguous."""
    forms = []
    for name in sorted(_MONTH_NUMBERS, key=len, reverse=True):
        variants = [name.capitalize(), name.upper()]
        if name in _LOWERCASE_SAFE_MONTHS:
            variants.append(name)
        suffix = r"\b\.?" if name in _ABBREVIATED_MONTHS else r"\b"
        forms.extend(variant + suffix for variant in variants)
    # A flat alternation whose every branch starts with a letter lets the engine jump straight
    # to those letters; that a match starts a word is checked for all rules in _candidates.
    return f"(?:{'|'.join(forms)})"


_MONTH_WORDS = _month_words()


def _month(group: str) -> str:
    return rf"(?P<{group}>{_MONTH_WORDS})"


def _day(group: str) -> str:
    # One or two digits, not part of a longer number, a decimal ("1.4"), a fraction or a
    # percentage; 1-31 is checked by _days_exist. The lookbehind comes after the first digit so
    # that the pattern starts with a digit, which the engine can jump to.
    return rf"(?P<{group}>\d(?<![\w.,/]\d)\d?)(?:st|nd|rd|th)?(?![\w%]|[.,:]\d)"


def _year(group: str) -> str:
    # Not part of a longer number ("1,880", "12019"), money ("$2021"), a serial ("No.2021",
    # "#2021"), a time ("20:19") or a percentage ("2020%"); "03.06.2021" and "Q4/2021" are fine.
    return rf"(?<![\w,$€£¥#:])(?<![^\d][./])(?P<{group}>(?:19|20)\d{{2}})(?![\w%]|[.,:]\d)"


def _range_separator(extra: str = "") -> str:
    """Dash or word between the two ends of a range; `extra` adds separators ("/" for years)."""
    extra_alternatives = "".join(f"|{re.escape(ch)}" for ch in extra)
    return rf"\s*(?P<sep>–|—|-{extra_alternatives}|\bto\b|\buntil\b|\btill\b|\bthrough\b|\band\b)\s*"


_RANGE_SEPARATOR = _range_separator()
_OPTIONAL_YEAR = rf"(?:,?\s+{_year('year')})?"
_OPTIONAL_YEAR_OF = rf"(?:,?\s+(?:of\s+)?{_year('year')})?"
_MONTH_MODIFIER = (
    r"(?P<mod>(?i:(?:very\s+)?(?:end|beginning|start|middle)\s+of\s+(?:the\s+month\s+of\s+)?"
    r"|(?:early|mid|late)(?:\s*-\s*|\s+)))"
)
_SEASON = r"(?P<season>(?i:spring|summer|autumn|fall|winter))"
_YEAR_REFERENCE = (
    rf"(?:{_year('year')}|(?P<deixis>(?i:this|last|next|the\s+current|the\s+previous|the\s+past))"
    r"\s+year\b|(?P<the_year>(?i:the\s+year))\b)"
)
_ORDINAL = r"(?P<ordinal>(?i:first|second|third|fourth|1st|2nd|3rd|4th|last|final))"


# ---------------------------------------------------------------------------------------------
# Intervals


@dataclass(frozen=True)
class _Interval:
    value: str
    precision: str
    begin: date
    end_date: date
    relative: bool = False


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_interval(begin: date | None, end: date | None = None) -> _Interval | None:
    if begin is None:
        return None
    end = end or begin
    if end < begin:
        return None
    return _Interval(begin.isoformat(), DAY, begin, end)


def _month_interval(year: int, month: int, first_day: int = 1, last_day: int | None = None) -> _Interval:
    last = _last_day(year, month) if last_day is None else min(last_day, _last_day(year, month))
    return _Interval(f"{year:04d}-{month:02d}", MONTH, date(year, month, first_day), date(year, month, last))


def _year_interval(year: int, first_month: int = 1, last_month: int = 12) -> _Interval:
    return _Interval(str(year), YEAR, date(year, first_month, 1), date(year, last_month, _last_day(year, last_month)))


def _months_interval(begin_year: int, begin_month: int, end_year: int, end_month: int) -> _Interval | None:
    """Whole months from one month to another, at month precision (a month range)."""
    if (end_year, end_month) < (begin_year, begin_month):
        return None
    end = date(end_year, end_month, _last_day(end_year, end_month))
    return replace(_month_interval(begin_year, begin_month), end_date=end)


def _season_interval(year: int, season: str) -> _Interval:
    """A season that starts in `year`; winter runs on into February of the next year."""
    first = _SEASON_START[season.lower()]
    last_year, last_month = (year + 1, first + 2 - 12) if first + 2 > 12 else (year, first + 2)
    end = date(last_year, last_month, _last_day(last_year, last_month))
    return _Interval(str(year), YEAR, date(year, first, 1), end)


def _narrow_month(year: int, month: int, modifier: str | None) -> _Interval:
    """'early May' is 1-10 May, 'mid-May' 11-20, 'late May' and 'the end of May' 21-31."""
    word = (modifier or "").lower()
    if "early" in word or "beginning" in word or "start" in word:
        return _month_interval(year, month, 1, 10)
    if "mid" in word:  # mid-, middle of
        return _month_interval(year, month, 11, 20)
    if "late" in word or "end" in word:
        return _month_interval(year, month, 21)
    return _month_interval(year, month)


def _month_number(word: str) -> int:
    return _MONTH_NUMBERS[word.rstrip(".").lower()]


def _two_digit_year_after(first_year: int, raw: str) -> int:
    """'2020-21' -> 2021; a four-digit second year is taken as it is."""
    if len(raw) == 4:
        return int(raw)
    return first_year // 100 * 100 + int(raw)


# ---------------------------------------------------------------------------------------------
# Resolution context


# A sentence that speaks of the future: a date in it may lie after the writer's "now".
_FUTURE_MARKERS = re.compile(
    r"\b(?:will|shall|would|might|may|could|should|going\s+to|is\s+to|are\s+to"
    r"|expected|scheduled|planned|forecasts?|next|coming|upcoming)\b|['’]ll\b"
)
_DEADLINE_BEFORE = re.compile(r"\b(?i:by|until|till|before|through)\s+(?:the\s+)?$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)\]]*\s|\n")
_SENTENCE_WINDOW = 400  # chars searched on either side for the sentence's ends


@dataclass(frozen=True)
class _Context:
    text: str
    start: int
    end: int
    anchor: date | None
    year_in_force: int | None
    anchor_is_day: bool = False  # the document is dated to the day (a news dateline), so weekdays resolve
    time_in_force: TimeExpression | None = None  # the last time the text told of, for "the next day"

    def implicit_year(self) -> int | None:
        if self.year_in_force is not None:
            return self.year_in_force
        return self.anchor.year if self.anchor else None

    def looks_forward(self) -> bool:
        if _DEADLINE_BEFORE.search(self.text, max(0, self.start - 20), self.start):
            return True
        window_start = max(0, self.start - _SENTENCE_WINDOW)
        before = self.text[window_start : self.start]
        breaks = [b.end() for b in _SENTENCE_BREAK.finditer(before)]
        sentence_start = window_start + (breaks[-1] if breaks else 0)
        after = _SENTENCE_BREAK.search(self.text, self.end, self.end + _SENTENCE_WINDOW)
        sentence_end = after.start() if after else min(len(self.text), self.end + _SENTENCE_WINDOW)
        return bool(_FUTURE_MARKERS.search(self.text, sentence_start, sentence_end))


def _with_year(match: re.Match[str], context: _Context, build: Callable[[int], _Interval | None]) -> _Interval | None:
    """Build with the year the match names, else the year in force (or the anchor's year).

    A day, month or season that the implicit year puts after the anchor, in a sentence about
    the past, is moved to the year before: the writer cannot report what has not happened yet.
    """
    written = match.groupdict().get("year")  # some patterns have no year to write
    if written:
        return build(int(written))
    year = context.implicit_year()
    if year is None:
        return None
    interval = build(year)
    anchor = context.anchor
    if (
        interval is not None
        and anchor is not None
        and year == anchor.year
        and interval.begin > anchor
        and not context.looks_forward()
    ):
        interval = build(year - 1)
    return replace(interval, relative=True) if interval else None


def _year_reference(match: re.Match[str], context: _Context) -> tuple[int, bool] | None:
    """The year named by a _YEAR_REFERENCE: (year, relative) or None when it cannot be known."""
    if match["year"]:
        return int(match["year"]), False
    if match["the_year"]:
        year = context.implicit_year()
        return (year, True) if year is not None else None
    if context.anchor is None:
        return None
    deixis = " ".join(match["deixis"].lower().split())
    shift = {"this": 0, "the current": 0, "last": -1, "the previous": -1, "the past": -1, "next": 1}
    return context.anchor.year + shift[deixis], True


# ---------------------------------------------------------------------------------------------
# Resolvers: one per pattern, each from a match to an interval (None when it cannot resolve).

_Resolver = Callable[[re.Match[str], _Context], _Interval | None]


def _resolve_iso(match: re.Match[str], context: _Context) -> _Interval | None:
    return _day_interval(_safe_date(int(match["year"]), int(match["month"]), int(match["day"])))


def _numeric_date(match: re.Match[str]) -> date | None:
    first, second = int(match["first"]), int(match["second"])
    # Day first (European) unless only the month-first reading is possible ("06/14/2020").
    day, month = (second, first) if first <= 12 < second else (first, second)
    return _safe_date(int(match["year"]), month, day)


def _resolve_numeric(match: re.Match[str], context: _Context) -> _Interval | None:
    return _day_interval(_numeric_date(match))


def _resolve_day_month(match: re.Match[str], context: _Context) -> _Interval | None:
    month, day = _month_number(match["month"]), int(match["day"])
    return _with_year(match, context, lambda year: _day_interval(_safe_date(year, month, day)))


def _resolve_day_range(match: re.Match[str], context: _Context) -> _Interval | None:
    month, first, last = _month_number(match["month"]), int(match["day1"]), int(match["day2"])

    def build(year: int) -> _Interval | None:
        return _day_interval(_safe_date(year, month, first), _safe_date(year, month, last))

    return _with_year(match, context, build)


def _resolve_cross_month_range(match: re.Match[str], context: _Context) -> _Interval | None:
    """'28 May – 2 June 2021': the year written at the end is the year of the end."""
    first_month, first_day = _month_number(match["month1"]), int(match["day1"])
    last_month, last_day = _month_number(match["month2"]), int(match["day2"])

    wraps = (first_month, first_day) > (last_month, last_day)  # over New Year

    def build(year: int) -> _Interval | None:
        begin_year = int(match["year1"]) if match["year1"] else year - wraps
        return _day_interval(_safe_date(begin_year, first_month, first_day), _safe_date(year, last_month, last_day))

    if match["year1"] and not match["year"]:  # "28 December 2020 – 3 January"
        return build(int(match["year1"]) + wraps)
    return _with_year(match, context, build)


def _resolve_month(match: re.Match[str], context: _Context) -> _Interval | None:
    month = _month_number(match["month"])
    return _with_year(match, context, lambda year: _narrow_month(year, month, match.groupdict().get("mod")))


def _resolve_month_range(match: re.Match[str], context: _Context) -> _Interval | None:
    first, last = _month_number(match["month1"]), _month_number(match["month2"])
    if first == last:
        return None

    wraps = first > last  # "November–February"

    def build(year: int) -> _Interval | None:
        begin_year = int(match["year1"]) if match["year1"] else year - wraps
        return _months_interval(begin_year, first, year, last)

    if match["year1"] and not match["year"]:  # "November 2020 to February"
        return build(int(match["year1"]) + wraps)
    return _with_year(match, context, build)


def _resolve_season(match: re.Match[str], context: _Context) -> _Interval | None:
    return _with_year(match, context, lambda year: _season_interval(year, match["season"]))


def _resolve_season_deixis(match: re.Match[str], context: _Context) -> _Interval | None:
    anchor = context.anchor
    if anchor is None:
        return None
    season, rel = match["season"], match["rel"].lower()
    # The occurrence that holds the anchor's month, or else the last one begun before it.
    year = anchor.year
    while _season_interval(year, season).begin > anchor:
        year -= 1
    if rel in ("last", "past") and _season_interval(year, season).end_date >= anchor:
        year -= 1
    elif rel == "next":
        year += 1
    return replace(_season_interval(year, season), relative=True)


def _resolve_year(match: re.Match[str], context: _Context) -> _Interval | None:
    return _year_interval(int(match["year"]))


def _year_range_ends(match: re.Match[str]) -> tuple[int, int]:
    first = int(match["year1"])
    return first, _two_digit_year_after(first, match["year2"])


def _resolve_year_range(match: re.Match[str], context: _Context) -> _Interval | None:
    first, last = _year_range_ends(match)
    return replace(_year_interval(first), end_date=date(last, 12, 31))


def _resolve_decade(match: re.Match[str], context: _Context) -> _Interval | None:
    if match["decade"]:
        decade = int(match["decade"])
    else:  # "the ’90s": this century's only for the decades that have begun
        short = int(match["short"])
        decade = 2000 + short if short <= 20 else 1900 + short
    first, last = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get((match["mod"] or "").lower(), (0, 9))
    return _Interval(str(decade), YEAR, date(decade + first, 1, 1), date(decade + last, 12, 31))


def _resolve_year_part(match: re.Match[str], context: _Context) -> _Interval | None:
    """'the end of 2019' is December (month); 'early 2019', 'mid-2018' are parts of the year."""
    reference = _year_reference(match, context)
    if reference is None:
        return None
    year, relative = reference
    modifier = match["mod"].lower()
    if "end" in modifier or "close" in modifier:
        interval = _month_interval(year, 12)
    elif "beginning" in modifier or "start" in modifier:
        interval = _year_interval(year, 1, 3)
    elif "early" in modifier:
        interval = _year_interval(year, 1, 4)
    elif "mid" in modifier:
        interval = _year_interval(year, 5, 8)
    else:  # late
        interval = _year_interval(year, 9, 12)
    return replace(interval, relative=relative)


def _resolve_year_end(match: re.Match[str], context: _Context) -> _Interval | None:
    if match["year"]:
        return _month_interval(int(match["year"]), 12)
    year = context.implicit_year()
    return replace(_month_interval(year, 12), relative=True) if year is not None else None


def _resolve_quarter_or_half(match: re.Match[str], context: _Context) -> _Interval | None:
    reference = _year_reference(match, context)
    if reference is None:
        return None
    year, relative = reference
    ordinal = match["ordinal"].lower()
    if match["part"].lower() == "half":
        number = 2 if ordinal in ("last", "final") else _ORDINALS[ordinal]
        if number > 2:
            return None
        return replace(_year_interval(year, number * 6 - 5, number * 6), relative=relative)
    number = 4 if ordinal in ("last", "final") else _ORDINALS[ordinal]
    return replace(_year_interval(year, number * 3 - 2, number * 3), relative=relative)


def _resolve_quarter_in_year_in_force(match: re.Match[str], context: _Context) -> _Interval | None:
    year = context.implicit_year()
    if year is None:
        return None
    ordinal = match["ordinal"].lower()
    number = 4 if ordinal in ("last", "final") else _ORDINALS[ordinal]
    return replace(_year_interval(year, number * 3 - 2, number * 3), relative=True)


def _resolve_period_code(match: re.Match[str], context: _Context) -> _Interval | None:
    """Q4 2021, 4Q 2021, H1 2021, 1H 2021 and the same with the year first."""
    groups = match.groupdict()
    code = (groups.get("code") or groups["code2"]).upper()
    number = int(next(ch for ch in code if ch.isdigit()))
    year = int(match["year"])
    if "Q" in code:
        return _year_interval(year, number * 3 - 2, number * 3)
    return _year_interval(year, number * 6 - 5, number * 6)


def _resolve_months_of_year(match: re.Match[str], context: _Context) -> _Interval | None:
    """'the first five months of 2017' -> 2017, January-May."""
    reference = _year_reference(match, context)
    if reference is None:
        return None
    year, relative = reference
    raw = match["count"].lower()
    count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
    if not 1 <= count <= 11:
        return None
    first, last = (1, count) if match["side"].lower() == "first" else (13 - count, 12)
    return replace(_year_interval(year, first, last), relative=relative)


def _resolve_unit_deixis(match: re.Match[str], context: _Context) -> _Interval | None:
    """last/this/next year, month, quarter or week; the previous/following year of the year in force."""
    rel = " ".join(match["rel"].lower().split())
    unit = match["unit"].lower()
    anchor = context.anchor
    if rel in ("the previous", "the following"):
        year = context.implicit_year()
        if unit != "year" or year is None:
            return None
        return replace(_year_interval(year + (1 if rel == "the following" else -1)), relative=True)
    if anchor is None:
        return None
    shift = {"last": -1, "this": 0, "the current": 0, "next": 1, "the coming": 1}[rel]
    if unit == "year":
        return replace(_year_interval(anchor.year + shift), relative=True)
    if unit == "week":
        return _week_interval(anchor, shift, context.anchor_is_day)
    if unit == "month":
        index = anchor.year * 12 + anchor.month - 1 + shift
        return replace(_month_interval(index // 12, index % 12 + 1), relative=True)
    index = anchor.year * 4 + (anchor.month - 1) // 3 + shift  # quarter
    year, quarter = index // 4, index % 4 + 1
    return replace(_year_interval(year, quarter * 3 - 2, quarter * 3), relative=True)


def _week_interval(anchor: date, shift: int, anchor_is_day: bool) -> _Interval:
    """A week has no precision of its own: it is read as the month that holds most of its days (that of its
    Thursday), or as the anchor's month when the document is dated only to the month."""
    if not anchor_is_day:
        return replace(_month_interval(anchor.year, anchor.month), relative=True)
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=shift)
    thursday = monday + timedelta(days=3)
    return replace(_month_interval(thursday.year, thursday.month), begin=monday, end_date=monday + timedelta(days=6),
                   relative=True)


def _resolve_month_of_deictic_year(match: re.Match[str], context: _Context) -> _Interval | None:
    """'December last year', 'in May of this year'."""
    if context.anchor is None:
        return None
    shift = {"last": -1, "this": 0, "next": 1}[match["rel"].lower()]
    return replace(_month_interval(context.anchor.year + shift, _month_number(match["month"])), relative=True)


def _resolve_deictic_month(match: re.Match[str], context: _Context) -> _Interval | None:
    """'last December': the latest December before the anchor's month; 'next March' the first after."""
    anchor = context.anchor
    if anchor is None:
        return None
    month, rel = _month_number(match["month"]), match["rel"].lower()
    year = anchor.year
    if rel == "last" and month >= anchor.month:
        year -= 1
    elif rel == "next" and month <= anchor.month:
        year += 1
    return replace(_month_interval(year, month), relative=True)


def _resolve_part_of_this_year(match: re.Match[str], context: _Context) -> _Interval | None:
    """'earlier this year' runs from 1 January to the anchor; 'later this year' from it to December."""
    anchor = context.anchor
    if anchor is None:
        return None
    whole = _year_interval(anchor.year)
    if match["side"].lower() == "earlier":
        return replace(whole, end_date=anchor, relative=True)
    return replace(whole, begin=anchor, relative=True)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _resolve_weekday(match: re.Match[str], context: _Context) -> _Interval | None:
    """'on Thursday' in a story dated to the day: the last such day up to the dateline (the next one when
    the sentence looks forward or says 'next'; 'last' and 'next' never name the dateline's own day); 'at the
    weekend' is its Saturday."""
    if context.anchor is None or not context.anchor_is_day:
        return None
    named = match["weekday"].lower() if match["weekday"] else "saturday"
    rel = (match["rel"] or "").lower()
    ahead = rel == "next" or context.looks_forward()
    shift = (_WEEKDAYS.index(named) - context.anchor.weekday()) % 7
    forward = shift or (7 if rel == "next" else 0)
    back = shift - 7 if shift else (-7 if rel == "last" else 0)  # 'on Friday' in a Friday's story is that day
    day = context.anchor + timedelta(days=forward if ahead else back)
    return _Interval(day.isoformat(), DAY, day, day, relative=True)


def _resolve_offset(match: re.Match[str], context: _Context) -> _Interval | None:
    """'the following day', 'two weeks later', 'a year earlier': counted from the last time the text told of,
    at no finer precision than it had (days and weeks only from a day)."""
    base = context.time_in_force  # a narrative time: one year at most
    if base is None:
        return None
    if match["rel"]:
        shift, unit = (-1 if match["rel"].lower() == "previous" else 1), match["unit"].lower()
    else:
        count = match["count"].lower()
        number = 1 if count in ("a", "an") else _NUMBER_WORDS.get(count) or int(count)
        shift, unit = (-number if match["side"].lower() == "earlier" else number), match["units"].lower().rstrip("s")
    if unit == "year":
        return replace(_year_interval(base.begin.year + shift), relative=True)
    if unit == "month" and base.precision in (DAY, MONTH) and base.begin.month == base.end_date.month:
        index = base.begin.year * 12 + base.begin.month - 1 + shift
        return replace(_month_interval(index // 12, index % 12 + 1), relative=True)
    if unit in ("day", "week") and base.precision == DAY and base.begin == base.end_date:
        day = base.begin + timedelta(days=shift * (7 if unit == "week" else 1))
        return _Interval(day.isoformat(), DAY, day, day, relative=True)
    return None


def _resolve_neighbour_day(match: re.Match[str], context: _Context) -> _Interval | None:
    if context.anchor is None:
        return None
    day = context.anchor + timedelta(days=-1 if match["word"].lower() == "yesterday" else 1)
    return _Interval(day.isoformat(), DAY, day, day, relative=True)


# ---------------------------------------------------------------------------------------------
# Guards: checks that need the surrounding text or the words matched, made before selection.

_Guard = Callable[[re.Match[str], str], bool]

# A number that measures something: money or a serial number before it ("resolution 2046", "Flight 1402"), a unit
# or count after.
_QUANTITY_BEFORE = re.compile(
    r"(?:\b(?:USD|EUR|RUB|BYN|GBP|CNY|UAH|PLN|US\$|(?-i:No|Nos)|nr|p|pp|page|pages|number|art|article|"
    r"item|vol|ch|resolutions?|decree|law|section|chapter|protocol|annex|flight|route|highway|order|directive"
    r"|regulation)\.?|[$€£¥#§])\s*$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"^\s*(?:%|percent\b|per\s*cent\b|(?:million|billion|thousand|trillion|bn|mln|mn|m|k|bcm|tonnes|tons|km|"
    r"kilomet(?:re|er)s|met(?:re|er)s|cubic|barrels|dollars|euros|roubles|rubles|hectares|ha|kg|mw|gw|kwh|times)\b)",
    re.IGNORECASE,
)
# A count noun after the number: "2000 troops" counts, but "in 2019 troops were sent" is a year.
_COUNT_NOUN_AFTER = re.compile(
    r"^\s*(?:people|persons|troops|soldiers|servicemen|officers|units|types|items|pieces|vehicles|"
    r"enterprises|companies|cases|votes|seats)\b",
    re.IGNORECASE,
)
_PREPOSITION_BEFORE = re.compile(r"\b(?i:in|since|by|until|till|from|during|after|before|of|for)\s+$")


def _not_a_quantity(match: re.Match[str], text: str) -> bool:
    start, end = match.span("expr") if "expr" in match.re.groupindex else match.span()
    after = text[end : end + 24]
    if _QUANTITY_BEFORE.search(text, max(0, start - 12), start) or _UNIT_AFTER.match(after):
        return False
    return not _COUNT_NOUN_AFTER.match(after) or bool(_PREPOSITION_BEFORE.search(text, max(0, start - 12), start))


_BETWEEN_BEFORE = re.compile(r"\b(?i:between)\s+$")


def _needs_between_for_and(match: re.Match[str], text: str) -> bool:
    """'between X and Y' is a range; 'X and Y' alone is two dates."""
    start = match.start()
    return match["sep"] != "and" or bool(_BETWEEN_BEFORE.search(text, max(0, start - 12), start))


def _year_range_guard(match: re.Match[str], text: str) -> bool:
    first, last = _year_range_ends(match)  # "2021-06" is no range
    in_order = first < last <= min(first + 100, 2099)
    return in_order and _needs_between_for_and(match, text) and _not_a_quantity(match, text)


_LONGEST_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February as in a leap year
_DAY_MONTH_GROUPS = (("day", "month"), ("day1", "month1"), ("day2", "month2"), ("day1", "month"), ("day2", "month"))


def _days_exist(match: re.Match[str], text: str) -> bool:
    """Every day named fits its month ("31 June" is no date) and a range runs forward.

    Checked before selection, so that a shorter reading ("February 2021" in "31 February 2021")
    can still win; 29 February is checked against the year when resolving.
    """
    groups = match.groupdict()
    for day_group, month_group in _DAY_MONTH_GROUPS:
        day, month = groups.get(day_group), groups.get(month_group)
        if day and month:
            number = int(month) if month.isdigit() else _month_number(month)
            if not 1 <= int(day) <= _LONGEST_MONTH[number - 1]:
                return False
    if groups.get("day2") and "month1" not in groups:  # "14–15 March": both days in one month
        return int(groups["day2"]) > int(groups["day1"])
    return True


def _numeric_date_exists(match: re.Match[str], text: str) -> bool:
    return _numeric_date(match) is not None


def _range_of_existing_days(match: re.Match[str], text: str) -> bool:
    return _needs_between_for_and(match, text) and _days_exist(match, text)


_MONTH_TRIGGER_BEFORE = re.compile(
    r"\b(?i:in|since|by|until|till|through|throughout|during|from|before|after|as\s+of|of|for|to"
    r"|around|circa)\s+(?:the\s+month\s+of\s+)?$"
)


def _month_is_dated(match: re.Match[str], text: str) -> bool:
    """A month word alone counts when unambiguous or when a preposition shows it ("in May")."""
    if match["year"] or match["month"].rstrip(".").lower() not in _AMBIGUOUS_MONTH_WORDS:
        return True
    start = match.start()
    return bool(_MONTH_TRIGGER_BEFORE.search(text, max(0, start - 30), start))


def _not_followed_by_of(match: re.Match[str], text: str) -> bool:
    """'in the spring' is a date, 'in the spring of discontent' (or of a year, matched elsewhere) is not."""
    return not re.match(r"\s+of\b", text[match.end() : match.end() + 4])


# ---------------------------------------------------------------------------------------------
# Rules, longest phrase shapes first (selection prefers the longest match anyway).


@dataclass(frozen=True)
class _Rule:
    hotspots: tuple[str, ...]  # kinds of _HOTSPOT word that every match of the pattern contains
    pattern: re.Pattern[str]
    resolve: _Resolver
    guard: _Guard | None = None
    needs_anchor: bool = False
    # A span of years ("2012-2016") names a period, not the point the narrative stands at.
    sets_year_in_force: bool = True


def _rule(
    hotspots: str,
    pattern: str,
    resolve: _Resolver,
    guard: _Guard | None = None,
    *,
    needs_anchor: bool = False,
    sets_year_in_force: bool = True,
) -> _Rule:
    return _Rule(tuple(hotspots.split()), re.compile(pattern), resolve, guard, needs_anchor, sets_year_in_force)


_RULES: tuple[_Rule, ...] = (
    # 2021-06-03
    _rule(
        "year",
        r"(?<![\w.])(?P<year>(?:19|20)\d{2})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?!\d)",
        _resolve_iso,
        _days_exist,
    ),
    # 03.06.2021, 14/02/2020, 03-06-2021
    _rule(
        "year",
        r"(?<![\w.,/:-])(?P<first>\d{1,2})(?P<sep>[./-])(?P<second>\d{1,2})(?P=sep)"
        r"(?P<year>(?:19|20)\d{2})(?![\w%]|[.,/:-]\d)",
        _resolve_numeric,
        _numeric_date_exists,
    ),
    # 28 May – 2 June 2021
    _rule(
        "month",
        rf"{_day('day1')}\s+(?:of\s+)?{_month('month1')}(?:,?\s+{_year('year1')})?"
        rf"{_RANGE_SEPARATOR}{_day('day2')}\s+(?:of\s+)?{_month('month2')}{_OPTIONAL_YEAR}",
        _resolve_cross_month_range,
        _range_of_existing_days,
    ),
    # May 28 – June 2, 2021
    _rule(
        "month",
        rf"{_month('month1')}\s+{_day('day1')}(?:,?\s+{_year('year1')})?"
        rf"{_RANGE_SEPARATOR}{_month('month2')}\s+{_day('day2')}{_OPTIONAL_YEAR}",
        _resolve_cross_month_range,
        _range_of_existing_days,
    ),
    # 14–15 March (2021); "3 and 4 June" is a range too: both days fall in one month
    _rule(
        "month",
        rf"{_day('day1')}{_RANGE_SEPARATOR}{_day('day2')}\s+(?:of\s+)?{_month('month')}{_OPTIONAL_YEAR}",
        _resolve_day_range,
        _days_exist,
    ),
    # March 14–15(, 2021)
    _rule(
        "month",
        rf"{_month('month')}\s+{_day('day1')}{_RANGE_SEPARATOR}{_day('day2')}{_OPTIONAL_YEAR}",
        _resolve_day_range,
        _days_exist,
    ),
    # (Monday,) 3 June (2021), 3rd of June
    _rule(
        "month",
        rf"{_day('day')}\s+(?:of\s+)?{_month('month')}{_OPTIONAL_YEAR}",
        _resolve_day_month,
        _days_exist,
    ),
    # (Monday,) June 3(, 2021)
    _rule(
        "month",
        rf"{_month('month')}\s+(?:the\s+)?{_day('day')}{_OPTIONAL_YEAR}",
        _resolve_day_month,
        _days_exist,
    ),
    # May–July 2021, from March to June
    _rule(
        "month",
        rf"{_month('month1')}(?:\s+{_year('year1')})?{_RANGE_SEPARATOR}"
        rf"{_month('month2')}{_OPTIONAL_YEAR_OF}",
        _resolve_month_range,
        _needs_between_for_and,
    ),
    # December last year, May of this year (every match holds "year": rarer than months)
    _rule(
        "unit",
        rf"{_month('month')}\s+(?:of\s+)?(?P<rel>(?i:last|this|next))\s+year\b",
        _resolve_month_of_deictic_year,
        needs_anchor=True,
    ),
    # last December, next March; the words come first and the lookbehinds after them, so that
    # the pattern starts with literals the engine can jump to ("the last May" is no date)
    _rule(
        "month",
        rf"(?P<rel>last|Last|LAST|this|This|THIS|next|Next|NEXT)(?<![Tt]he\s....)\s+{_month('month')}",
        _resolve_deictic_month,
        needs_anchor=True,
    ),
    # May, May 2021, September of 2020 (a month word alone needs a preposition: see the guard)
    _rule("month", rf"{_month('month')}{_OPTIONAL_YEAR_OF}", _resolve_month, _month_is_dated),
    # early May, mid-May, the end of May 2021
    _rule("edge", rf"{_MONTH_MODIFIER}{_month('month')}{_OPTIONAL_YEAR_OF}", _resolve_month),
    # (the) summer of 2020, autumn 2020, late spring 2019
    _rule(
        "season",
        rf"(?P<expr>(?:(?P<mod>(?i:early|mid|late))(?:\s*-\s*|\s+))?{_SEASON}\s+(?:of\s+)?{_year('year')})",
        _resolve_season,
    ),
    # this autumn, last summer, next winter
    _rule(
        "season",
        rf"(?<!\w)(?P<rel>(?i:this|last|next|past))\s+{_SEASON}\b",
        _resolve_season_deixis,
        needs_anchor=True,
    ),
    # in the summer (of the year in force); "fall" alone is too ambiguous
    _rule(
        "season",
        r"\b(?i:in|during|over|by|since|until|through|throughout)\s+the\s+"
        r"(?P<expr>(?P<season>(?i:spring|summer|autumn|winter)))\b",
        _resolve_season,
        _not_followed_by_of,
    ),
    # the third quarter of 2019, the first half of this year
    _rule(
        "part",
        rf"(?P<expr>{_ORDINAL}\s+(?P<part>(?i:quarter|half))\s+(?:of\s+)?{_YEAR_REFERENCE})",
        _resolve_quarter_or_half,
    ),
    # in the third quarter (of the year in force)
    _rule(
        "part",
        rf"\b(?i:in|during|by|over|for)\s+the\s+(?P<expr>{_ORDINAL}\s+(?i:quarter))\b",
        _resolve_quarter_in_year_in_force,
        _not_followed_by_of,
    ),
    # Q4 2021, H1 2021, 4Q 2021, 2021 Q4
    _rule(
        "year",
        rf"(?<![\w/])(?P<code>Q[1-4]|H[12]|[1-4]Q|[12]H)\s*[-/]?\s*{_year('year')}",
        _resolve_period_code,
    ),
    _rule(
        "year",
        rf"{_year('year')}\s*[-/]?\s*(?P<code2>Q[1-4]|H[12])(?![\w/])",
        _resolve_period_code,
    ),
    # the first five months of 2017
    _rule(
        "part",
        rf"(?P<expr>(?P<side>(?i:first|last))\s+(?P<count>(?i:{'|'.join(_NUMBER_WORDS)})|\d{{1,2}})\s+"
        rf"months\s+of\s+{_YEAR_REFERENCE})",
        _resolve_months_of_year,
    ),
    # the end of 2022, the end of this year, the end of the year, early 2022, mid-2021, late last year
    _rule(
        "edge",
        rf"(?P<expr>(?P<mod>(?i:(?:very\s+)?(?:end|beginning|start|middle|close)\s+of\s+|end-"
        rf"|(?:early|mid|late)(?:\s*-\s*|\s+)))\s*{_YEAR_REFERENCE})",
        _resolve_year_part,
    ),
    # year-end 2016, at year-end
    _rule("unit", rf"(?<![\w-])(?P<expr>(?i:year[-\s]end)(?:\s+{_year('year')})?)\b", _resolve_year_end),
    # earlier this year, later this year
    _rule(
        "unit",
        r"\b(?P<side>(?i:earlier|later))\s+this\s+year\b",
        _resolve_part_of_this_year,
        needs_anchor=True,
    ),
    # last year, this month, next quarter, last week ("the last year" is a duration, not last year)
    _rule(
        "unit part",
        r"(?<![Tt]he\s)(?<!\w)(?P<rel>(?i:last|this|next))\s+(?P<unit>(?i:year|month|quarter|week))\b",
        _resolve_unit_deixis,
    ),
    # the current year, the coming month, the previous year (of the year in force)
    _rule(
        "unit",
        r"(?<!\w)(?P<rel>(?i:the\s+(?:current|coming|previous|following)))\s+(?P<unit>(?i:year|month))\b",
        _resolve_unit_deixis,
    ),
    # the following day, the next week, the previous day; a day later, two weeks earlier, three years later
    _rule(
        "offset",
        rf"(?<!\w)(?P<expr>(?i:the)\s+(?P<rel>(?i:following|next|previous))\s+(?P<unit>(?i:day|week))"
        rf"|(?P<count>(?i:an?|{'|'.join(_NUMBER_WORDS)})|\d{{1,2}})\s+(?P<units>(?i:days?|weeks?|months?|years?))\s+"
        r"(?P<side>(?i:later|earlier)))\b",
        _resolve_offset,
        sets_year_in_force=False,
    ),
    # yesterday, tomorrow
    _rule("neighbour", r"(?<!\w)(?P<word>(?i:yesterday|tomorrow))\b", _resolve_neighbour_day, needs_anchor=True),
    # on Thursday, last Monday, at the weekend (in a story dated to the day)
    _rule("weekday",
          r"(?<!\w)(?P<expr>(?:(?P<rel>(?i:last|this|next))\s+)?(?:(?P<weekday>(?i:monday|tuesday|wednesday|thursday"
          r"|friday|saturday|sunday))|(?i:weekend)))(?!\s*,?\s*\d)\b",
          _resolve_weekday, needs_anchor=True, sets_year_in_force=False),
    # 2015-2020, 2015 to 2020, between 2015 and 2020, 2020/21
    _rule(
        "year",
        rf"{_year('year1')}{_range_separator('/')}"
        r"(?P<year2>(?:19|20)\d{2}|\d{2})(?![\w%]|[.,:]\d)",
        _resolve_year_range,
        _year_range_guard,
        sets_year_in_force=False,
    ),
    # the 1990s, the early 2000s, the ’90s
    _rule(
        "year digit",
        r"(?<![\w'’])(?P<expr>(?:(?P<mod>(?i:early|mid|late))(?:\s*-\s*|\s+))?"
        r"(?:(?P<decade>(?:19|20)\d0)|['’](?P<short>\d0))['’]?s)\b",
        _resolve_decade,
    ),
    # FY2021, FY 2021
    _rule("year", r"(?<!\w)FY\s*(?P<year>(?:19|20)\d{2})(?!\d)", _resolve_year),
    # 2021
    _rule("year", _year("year"), _resolve_year, _not_a_quantity),
)


# ---------------------------------------------------------------------------------------------
# Finding


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    rule: _Rule
    match: re.Match[str]


def _span(match: re.Match[str]) -> tuple[int, int]:
    return match.span("expr") if "expr" in match.re.groupindex else match.span()


# Words without which no rule can match, found in one pass; each rule then runs only in the
# windows around the kinds of word it needs. This keeps long texts fast: most of a report holds
# no date at all, and thirty patterns over every character would cost ten times as much.
_HOTSPOT = re.compile(
    r"(?P<year>(?<!\d)(?:19|20)\d\d(?!\d))"
    r"|(?P<digit>\d+)"
    rf"|\b(?=[JFMASONDjfmasond])(?P<month>{_MONTH_WORDS})"
    r"|\b(?=[a-zA-Z])(?:(?P<season>(?i:spring|summer|autumn|fall|winter))"
    r"|(?P<part>(?i:quarter|half|months))"
    r"|(?P<edge>(?i:end|beginning|start|middle|close|early|mid|late))"
    r"|(?P<unit>(?i:year|month|week))"
    r"|(?P<neighbour>(?i:yesterday|tomorrow))"
    r"|(?P<offset>(?i:later|earlier|following|next|previous))"
    r"|(?P<weekday>(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)))\b"
)
_WINDOW_BEFORE = 60  # chars a phrase may run before its hotspot word ("September of last year")
_WINDOW_AFTER = 80  # and after it ("first five months of the previous year")


def _hotspot_positions(text: str) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for match in _HOTSPOT.finditer(text):
        positions.setdefault(match.lastgroup or "", []).append(match.start())
    return positions


def _windows(positions: list[int], length: int) -> list[tuple[int, int]]:
    """Disjoint (start, end) windows around sorted positions, merged where they touch."""
    windows: list[tuple[int, int]] = []
    for position in positions:
        start, end = max(0, position - _WINDOW_BEFORE), min(length, position + _WINDOW_AFTER)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _candidates(text: str, anchor: date | None) -> Iterator[_Candidate]:
    positions = _hotspot_positions(text)
    windows_by_kinds: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for rule in _RULES:
        if rule.needs_anchor and anchor is None:
            continue
        windows = windows_by_kinds.get(rule.hotspots)
        if windows is None:
            merged = sorted(p for kind in rule.hotspots for p in positions.get(kind, ()))
            windows = windows_by_kinds[rule.hotspots] = _windows(merged, len(text))
        for start, end in windows:
            # Lookbehinds still see the text before `start`; nothing a rule needs lies past `end`.
            for match in rule.pattern.finditer(text, start, end):
                if _starts_a_word(text, match.start()) and (rule.guard is None or rule.guard(match, text)):
                    span_start, span_end = _span(match)
                    yield _Candidate(span_start, span_end, rule, match)


def _starts_a_word(text: str, start: int) -> bool:
    """No expression begins inside a word ("Decembrists", "reMay"). Checked here for all rules:
    a leading \\b in a pattern would stop the engine from jumping to its first letters."""
    return start == 0 or not (text[start - 1].isalnum() and text[start].isalnum())


def _select(candidates: Iterator[_Candidate]) -> list[_Candidate]:
    """Longest first, then leftmost; each chosen span excludes every span it overlaps."""
    ordered = sorted(candidates, key=lambda c: (c.start - c.end, c.start))
    taken = bytearray()  # one flag per character already covered; grows as needed
    chosen = []
    for candidate in ordered:
        if len(taken) < candidate.end:
            taken.extend(bytes(candidate.end - len(taken)))
        if any(taken[candidate.start : candidate.end]):
            continue
        taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


_YEAR_GROUPS = ("year1", "year", "year2")


def _explicit_years_of(match: re.Match[str]) -> list[tuple[int, int]]:
    """(offset, year) of the four-digit years written in a match, left to right."""
    found = []
    names = match.re.groupindex
    for name in _YEAR_GROUPS:
        if name in names and match[name] and len(match[name]) == 4:
            found.append((match.start(name), int(match[name])))
    return sorted(found)


_ASIDE_REACH = 200  # chars searched for the parentheses around an aside
_OUT_OF_NARRATIVE_BEFORE = re.compile(
    r"\b(?i:by|until|till|before|through|to|since|back\s+in|back\s+to|as\s+far\s+back\s+as)\s+(?:the\s+)?$"
)


def _sets_year_in_force(text: str, candidate: _Candidate) -> bool:
    """Whether the years written in a candidate become the year in force.

    Not a range of years, not a deadline or the far end of a span ("by 2030", "until 2035",
    "well before 2015", "to the end of 2019"), not the start of a state that lasts ("since 2019"), not a
    look back ("back in 2016") and not an aside in parentheses ("(a 9% fall was recorded in 2017)"): none
    of them moves the time the text is telling of.
    """
    return candidate.rule.sets_year_in_force and _in_narrative(text, candidate)


def _in_narrative(text: str, candidate: _Candidate) -> bool:
    """Whether a candidate is a time the text tells of, not a year naming a thing, a deadline, the start of a
    state that lasts, a look back or an aside (`_sets_year_in_force`)."""
    start = candidate.start
    if _attributive_year(text, candidate):
        return False
    if _OUT_OF_NARRATIVE_BEFORE.search(text, max(0, start - 30), start):
        return False
    opening = text.rfind("(", max(0, start - _ASIDE_REACH), start)
    if opening == -1 or text.find(")", opening, start) != -1:
        return True
    return text.find(")", start, start + _ASIDE_REACH) == -1


_ATTRIBUTIVE_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|[A-Z][\w-]*['’]s)\s+$")
_ATTRIBUTIVE_AFTER = re.compile(r"\s+(?!(?:and|or|but|in|on|at|to|when|as|with|for|of|after|before|was|were|is|are|"
                                r"had|has|have|by|from|until|through)\b)[a-z]")


def _attributive_year(text: str, candidate: _Candidate) -> bool:
    """'the 2010 trade agreement', 'Belarus's 2020 election': a bare year naming a thing."""
    if not re.fullmatch(r"\d{4}", text[candidate.start:candidate.end]):
        return False
    return bool(_ATTRIBUTIVE_BEFORE.search(text, max(0, candidate.start - 40), candidate.start)
                and _ATTRIBUTIVE_AFTER.match(text, candidate.end))


def find_time_expressions(
    text: str, anchor: date | None = None, year_in_force: int | None = None, anchor_is_day: bool = False,
    time_in_force: TimeExpression | None = None,
) -> list[TimeExpression]:
    """All time expressions in `text`, left to right, non-overlapping, resolved.

    anchor: the document's date (the writer's "now"), for deictic expressions ("last year",
    "this autumn"); pass the last day of a date line's interval, and `anchor_is_day` when the
    document is dated to the day, so that weekdays ("on Thursday") resolve. year_in_force: the last
    explicit year before this text; explicit years inside `text` take over from it as they come.
    Day and month expressions with no year use it, else anchor.year, else they are skipped. time_in_force: the
    last time the text before told of (the last expression marked `narrative`), from which "the following day"
    or "a year later" count; the times inside `text` take over from it as they come.
    """
    expressions = []
    running_year = year_in_force
    running_time = time_in_force
    for candidate in _select(_candidates(text, anchor)):
        context = _Context(text, candidate.start, candidate.end, anchor, running_year, anchor_is_day, running_time)
        interval = candidate.rule.resolve(candidate.match, context)
        if interval is not None:
            expressions.append(
                TimeExpression(
                    start=candidate.start,
                    end=candidate.end,
                    text=text[candidate.start : candidate.end],
                    value=interval.value,
                    precision=interval.precision,
                    begin=interval.begin,
                    end_date=interval.end_date,
                    relative=interval.relative,
                    attributive=_attributive_year(text, candidate),
                    narrative=_in_narrative(text, candidate) and interval.begin.year == interval.end_date.year,
                )
            )
            if expressions[-1].narrative:
                running_time = expressions[-1]
        written = _explicit_years_of(candidate.match)
        if written and _sets_year_in_force(text, candidate):
            running_year = written[-1][1]
    return expressions


_LONE_MONTH = re.compile(rf"\s*{_month('month')}\s*")


def resolve(phrase: str, anchor: date | None = None, year_in_force: int | None = None) -> TimeExpression | None:
    """Resolve one phrase (offsets relative to the phrase): its leftmost time expression.

    The caller vouches that the phrase is a date, so a month word alone ("May") is accepted here.
    """
    found = find_time_expressions(phrase, anchor, year_in_force)
    if found:
        return found[0]
    lone = _LONE_MONTH.fullmatch(phrase)
    year = year_in_force if year_in_force is not None else (anchor.year if anchor else None)
    if lone is None or year is None:
        return None
    start, end = lone.span("month")
    interval = _month_interval(year, _month_number(lone["month"]))
    return TimeExpression(start, end, phrase[start:end], interval.value, MONTH, interval.begin, interval.end_date, True)


def explicit_years(text: str) -> list[tuple[int, int]]:
    """(offset, year) of each explicit four-digit year 1900–2099 used as a date in text.

    Meant for tracking the year in force, so it lists only the years that set it: not years in
    money, counts or serial numbers ("USD 2021 million", "No. 2021"), not decades ("the 1990s"),
    not ranges ("2015-2020"), not deadlines ("by 2028") and not asides in parentheses.
    """
    years: list[tuple[int, int]] = []
    for candidate in _select(_candidates(text, None)):
        if _sets_year_in_force(text, candidate):
            years.extend(_explicit_years_of(candidate.match))
    return years


# A date line may carry a label and some markdown decoration, but nothing else.
_DATE_LINE_PREFIX = re.compile(
    r"^[\s*_#>|•·\-–—]*(?:(?i:published|posted|updated|last\s+updated|date|dated|issued)(?:\s+on)?\s*:?\s*)?"
    r"(?:(?i:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
)
_DATE_LINE_SUFFIX = re.compile(r"[\s*_|.,;]*$")
_DATE_LINE_SCAN = 30
# A news dateline opening a paragraph: 'NAIROBI, 12 March 2018 (Reuters) — ...', 'ANKARA, Turkey, 3 May 2021 -'.
_DATELINE = re.compile(r"^[\s*_]*[A-ZÀ-Ý][A-ZÀ-Ý .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,30})?,\s*"
                       r"(?P<date>[^—–()\n]{6,40}?)\s*(?:\([^)\n]{1,30}\)\s*)?[—–-]{1,2}\s")


def date_line(text: str) -> TimeExpression | None:
    """The publication date from a line that holds only a date, in the first 30 lines.

    Day or month precision only: a year alone on a line is more often a title or a copyright
    fragment than a date line. Offsets are into `text`.
    """
    offset = 0
    for line in text.splitlines(keepends=True)[:_DATE_LINE_SCAN]:
        core_start = _DATE_LINE_PREFIX.match(line).end()  # always matches: every part is optional
        dateline = _DATELINE.match(line)
        if dateline is not None:
            core_start, core = dateline.start("date"), dateline.group("date")
        else:
            core = _DATE_LINE_SUFFIX.sub("", line[core_start:])
        if 6 <= len(core) <= 40:
            found = find_time_expressions(core)
            if len(found) == 1 and found[0].start == 0 and found[0].end == len(core):
                expression = found[0]
                if expression.precision in (DAY, MONTH):
                    shift = offset + core_start
                    return replace(expression, start=expression.start + shift, end=expression.end + shift)
        offset += len(line)
    return None
