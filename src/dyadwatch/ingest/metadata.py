"""Title, authors, publisher, date and language from the head of a cleaned document."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dyadwatch.nlp.timex import TimeExpression, date_line, find_time_expressions

HEAD_LINES = 15
NAME_WORD = r"[A-ZА-ЯЁ][\w’'.-]*(?:[ -][A-ZА-ЯЁ][\w’'.-]*){1,3}"
AUTHOR_LINE = re.compile(rf"^(?:[Bb]y\s+)?({NAME_WORD})((?:\s*(?:,|and|&)\s*{NAME_WORD})*)[\s¹²³*†]*$")
NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
PUBLISHER_WORDS = re.compile(
    r"\b(Institute|Institut|Centre|Center|Council|Foundation|University|School|Review|Monitor|Memo|"
    r"Press|News|Dialogue|Agency|Journal|Times|Post|Club|Forum|Notes|Observatory|Programme|Program|"
    r"Digest|Brief|Analytics|Think Tank|Desk)\b")
# Words of titles and headings, never of a person's name (place names come from the knowledge files).
NOT_NAMES = re.compile(r"\b(Relations|Policy|Union|State|Between|After|Crisis|War|Security|Report|Analysis|"
                       r"Brief|Briefing|Note|Memo|Paper|Outlook|Review|Summary|Memorandum|Update|Ties|Talks|Deal)\b",
                       re.IGNORECASE)
ENGLISH_WORDS = re.compile(r"\b(the|and|of|to|in|is|that|with|for|was)\b", re.IGNORECASE)
LOOKING_AHEAD = re.compile(r"\b(will|would|should|could|may|might|plans?|expected|forecasts?|(un)?likely|intends?)\b"
                           r"[^.]*$|\b(by|until|till|before|through|to)\s+(the\s+)?((end|beginning)\s+of\s+)?$")
MODAL = re.compile(r"\b(will|would|should|could|shall)\b")
BYLINE = re.compile(r"(?i)^(?:written\s+)?by\s+(\S.{2,200})$")
FIELD_SEPARATOR = re.compile(r"\s+[—–|·•]\s+|\s+-\s+")  # between the fields of a byline or a page title
CYRILLIC = re.compile(r"[А-Яа-яЁёІіЎў]")
# 'Kenya and Uganda: weekly brief, 3 June 2021', 'Border Monitor | June 2021': a head line that ends with its date.
DATE_FIELD_END = re.compile(r"(?<=\S)\s*(?:[,:]|\s[—–|·•-])[\s*_]*$")  # what sets a trailing date apart
HEAD_DATE_LINES = 5
# A memo's header lines: what each says of the document ('To:' and 'Cc:' say nothing of it and are set aside).
MEMO_FIELD = re.compile(r"^(?P<label>to|cc|copy|distribution|from|prepared by|authors?|subject|re|title)\s*:\**\s*"
                        r"(?P<value>\S.*)$", re.IGNORECASE)
MEMO_LABELS = {"subject": "title", "re": "title", "title": "title", "from": "author", "prepared by": "author",
               "author": "author", "authors": "author"}


@dataclass(frozen=True)
class Metadata:
    title: str
    authors: list[str]
    publisher: str
    date: str | None
    date_precision: str | None
    date_inferred: bool
    language: str


def read_metadata(text: str, places: frozenset[str] = frozenset()) -> Metadata:
    """What the head of `text` (already cleaned) says about the document; `places` are names of countries
    and their peoples, which make a line a title rather than a byline."""
    head = [bare for line in text.splitlines() if (bare := line.strip().lstrip("#>").strip(" *_"))][:HEAD_LINES]
    fields = _memo_fields(head)
    lines = [line for line in head if MEMO_FIELD.match(line) is None]  # 'To: Director' is no title nor author
    byline = next((found for line in lines if (found := _byline(line)) is not None), None)
    title = fields.get("title") or next((_without_date(line) for line in lines if _could_be_title(line)
                                         and not _names_people(line, places) and _byline(line) is None), "")
    date, precision, inferred = _publication_date(text)
    if byline is not None and byline.date is not None:
        date, precision, inferred = byline.date.value, byline.date.precision, False
    return Metadata(
        title=title,
        authors=(byline.authors if byline is not None else
                 [fields["author"]] if "author" in fields else _authors(lines, title, places)),
        publisher=(byline.publisher if byline is not None and byline.publisher else
                   next((_without_date(line) for line in lines
                         if _could_be_publisher(line, title) and _byline(line) is None), "")),
        date=date,
        date_precision=precision,
        date_inferred=inferred,
        language=_language(text),
    )


def _memo_fields(lines: list[str]) -> dict[str, str]:
    """A memo's header: 'Subject:' or 'Re:' names the title, 'From:' or 'Prepared by:' the author."""
    fields: dict[str, str] = {}
    for line in lines:
        match = MEMO_FIELD.match(line)
        if match is not None and (field := MEMO_LABELS.get(match["label"].lower())) and field not in fields:
            fields[field] = match["value"].strip(" *_")
    return fields


@dataclass(frozen=True)
class Byline:
    authors: list[str]
    publisher: str
    date: TimeExpression | None


def _byline(line: str) -> Byline | None:
    """'By Ana Ruiz and Luis Gómez — Andean Monitor — 3 June 2021': who wrote it, for whom, when. Fields are
    set apart by dashes, bars or bullets (commas when there are none)."""
    match = BYLINE.match(line)
    if match is None:
        return None
    rest = match.group(1)
    fields = [f.strip() for f in (FIELD_SEPARATOR.split(rest) if FIELD_SEPARATOR.search(rest) else rest.split(","))]
    authors = [n.strip() for n in NAME_SPLIT.split(fields[0]) if n.strip()]
    date, publisher = None, ""
    for field in fields[1:]:
        found = find_time_expressions(field)
        if date is None and len(found) == 1 and found[0].precision in ("day", "month") \
                and len(found[0].text) >= len(field) - 3:
            date = found[0]
        elif field and not publisher:
            publisher = field
    return Byline(authors, publisher, date)


def _could_be_title(line: str) -> bool:
    return 3 <= len(line) <= 200 and not line.endswith((".", ",", ";")) and date_line(line) is None


def _names_people(line: str, places: frozenset[str]) -> bool:
    """A byline: capitalised names only, none of them a title word, a publisher or a place."""
    if len(line) > 120 or NOT_NAMES.search(line) or PUBLISHER_WORDS.search(line):
        return False
    if any(word in places for word in re.findall(r"[\w’'-]+", line)):
        return False
    return bool(AUTHOR_LINE.match(line))


def _authors(lines: list[str], title: str, places: frozenset[str]) -> list[str]:
    for line in lines:
        if line != title and _names_people(line, places):
            names = NAME_SPLIT.split(re.sub(r"^by\s+", "", line, flags=re.IGNORECASE).strip(" ¹²³*†"))
            return [n.strip(" ¹²³*†") for n in names if n.strip(" ¹²³*†")]
    return []


def _could_be_publisher(line: str, title: str) -> bool:
    return line != title and len(line) <= 100 and bool(PUBLISHER_WORDS.search(line)) and not line.endswith(".")


def _publication_date(text: str) -> tuple[str | None, str | None, bool]:
    """The stated date: a line that holds only a date, or a head line that ends with one, whichever comes
    first; else the latest date the text mentions, marked inferred.

    Horizons ('by 2030', 'in 2027 tariffs should ...') are not the time of writing, nor, where other years
    are named, a year that names a thing ('the 2022 budget').
    The latest explicit year comes first; then day and month mentions without a
    year ('on 14 November') are read in that year, so the inferred date is as
    precise as the text allows.
    """
    stated = min((found for found in (date_line(text), _head_line_date(text)) if found is not None),
                 key=lambda found: found.start, default=None)
    if stated is not None:
        return stated.value, stated.precision, False
    explicit = [t for t in find_time_expressions(text) if not t.relative and not _looks_ahead(text, t.start)]
    if not explicit:
        return None, None, True
    # a year naming a thing ('the 2022 price', 'the 2020 elections') is often one planned or long past, not the
    # time of writing: the years that date acts decide, where the text has any
    explicit = [t for t in explicit if not t.attributive] or explicit
    year = max(t.begin.year for t in explicit)
    mentioned = [t for t in find_time_expressions(text, year_in_force=year)
                 if t.begin.year <= year and not _looks_ahead(text, t.start)]
    latest = max(mentioned or explicit, key=lambda t: (t.begin, t.precision == "day"))
    return latest.value, latest.precision, True


def _head_line_date(text: str) -> TimeExpression | None:
    """The date a line of the document's head ends with, after a comma, colon, dash or bar; offsets into
    `text`. Day or month precision with its year only, as for a date line."""
    offset, seen = 0, 0
    for line in text.splitlines(keepends=True):
        if seen == HEAD_DATE_LINES:
            break
        if line.strip():
            seen += 1
            found = _trailing_date(line.rstrip("\n"))
            if found is not None:
                return replace(found[1], start=found[1].start + offset, end=found[1].end + offset)
        offset += len(line)
    return None


def _trailing_date(line: str) -> tuple[str, TimeExpression] | None:
    """The line without its trailing date, and the date (offsets into the line): the line's last time
    expression, set apart by a comma, colon, dash or bar and ending the line."""
    line = line.rstrip(" *_")
    found = find_time_expressions(line)
    if not found or line.endswith(".") or found[-1].end < len(line) - 1:
        return None
    last = found[-1]
    separator = DATE_FIELD_END.search(line, 0, last.start)
    if separator is None or last.relative or not _one_day_or_month(last):
        return None
    return line[:separator.start()], last


def _one_day_or_month(expression: TimeExpression) -> bool:
    """A day or a month, not a year or a span ('March–November 2022' heads a report on those months)."""
    begin, end = expression.begin, expression.end_date
    if expression.precision == "day":
        return begin == end
    return expression.precision == "month" and (begin.year, begin.month) == (end.year, end.month)


def _without_date(line: str) -> str:
    found = _trailing_date(line)
    return found[0] if found is not None else line


def _looks_ahead(text: str, start: int) -> bool:
    """'by 2030', 'until 2035', 'in 2027 the tariff should ...': a horizon, not the time of writing."""
    before = re.split(r"[.!?\n]", text[max(0, start - 300):start].lower())[-1]
    after = re.split(r"[.!?\n]", text[start:start + 300].lower())[0]
    return bool(LOOKING_AHEAD.search(before) or MODAL.search(after))


def _language(text: str) -> str:
    sample = text[:20000]
    cyrillic = len(CYRILLIC.findall(sample))
    english = len(ENGLISH_WORDS.findall(sample))
    return "ru" if cyrillic > 5 * max(english, 1) else "en"
