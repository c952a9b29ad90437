"""Figures in tables: a markdown table (the form the readers also give HTML tables) read cell by cell.

A table's figures are read with what its header and row labels say, which sentences say around the number:
the unit and scale ("Exports (USD bn)" makes the cell "8.6" USD 8,600,000,000), what the figure measures (the
column's header, the row's label) and when (a row label or column header that is a time: "2021", "Q1 2022").
A cell that carries its own unit ("USD 8.6bn", "37%") is read as written. A bare number under a header that
names no unit is left out: it could be a count, a rank or an index, and the table does not say which.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from dyadwatch.measures import measure_words
from dyadwatch.nlp.quantities import find_figures
from dyadwatch.nlp.timex import TimeExpression, find_time_expressions, resolve

CELL = re.compile(r"[^|]+")
SEPARATOR_CELL = re.compile(r"\s*:?-{2,}:?\s*")
BARE_NUMBER = re.compile(r"[-+−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+−]?\d+(?:\.\d+)?")
# Where a header names its unit, in the order tried: "Exports (USD bn)", "Exports, USD bn", "Exports in USD million".
UNIT_IN_HEADER = (re.compile(r"\(([^()]+)\)\s*$"), re.compile(r",\s*([^,]+)$"), re.compile(r"\bin\s+(.+)$"))
YEAR = re.compile(r"(1[89]|20)\d\d")
# Headers that say nothing of what a figure measures ("| item | value |").
GENERIC_HEADERS = frozenset({"value", "values", "figure", "figures", "amount", "number", "data", "item", "items",
                             "indicator", "indicators", "measure", "metric", "variable", "series"})
TIME_WORDS = frozenset({"before", "after", "since", "until", "till", "end", "start", "beginning", "early", "late",
                        "mid", "as", "year", "month", "quarter"})
TABLE_NUMBER = re.compile(r"^\s*(?:table|figure|exhibit|chart)\s+[\dIVXivx]+[.:)]?\s*", re.IGNORECASE)
MAX_CAPTION = 160  # characters: a longer line before a table is prose, not its title
TIME_HEADERS = frozenset({"year", "years", "date", "month", "quarter", "period", "time"})


@dataclass(frozen=True)
class Cell:
    text: str
    start: int  # offsets in the text passed in
    end: int


@dataclass(frozen=True)
class Row:
    start: int
    end: int
    cells: list[Cell]


@dataclass(frozen=True)
class TableFigure:
    """One figure of a table, offsets in the text passed in: the cell (`start`/`end`) and its row."""

    value: float
    unit: str
    bound: str | None
    start: int
    end: int
    row: tuple[int, int]
    measure: str
    time: TimeExpression | None


def table_figures(text: str, year: int | None = None, header: str = "", caption: str = "") -> list[TableFigure]:
    """The figures of every table in `text` (a paragraph); `year` is the year in force, for a time written without
    its year ("October"); `header` is the header and separator rows of a table that `text` continues (a long
    table is parsed in pieces: `header_at_end`); `caption` is the title line just before a table that `text`
    begins with (a table's title line inside `text` is found here)."""
    if header:
        shift = len(header) + 1
        return [replace(figure, start=figure.start - shift, end=figure.end - shift,
                        row=(figure.row[0] - shift, figure.row[1] - shift))
                for figure in table_figures(f"{header}\n{text}", year, caption=caption) if figure.row[0] >= shift]
    return [figure for table in _tables(text)
            for figure in _read_table(table, year, _caption(text, table[0].start, caption))]


def _caption(text: str, start: int, given: str) -> str:
    """A table's title: the short line without a full stop just before it ("Table 2. Trade with Chile, USD bn")."""
    if start == 0:
        return given
    line = text[text.rfind("\n", 0, start - 1) + 1:start - 1].strip()
    return line if len(line) <= MAX_CAPTION and not line.endswith(".") and not line.startswith("|") else ""


def table_spans(text: str, header: str = "") -> list[tuple[int, int]]:
    """Where each table of `text` begins and ends (`header` as for `table_figures`): its lines are read as a
    table, not as sentences."""
    shift = len(header) + 1 if header else 0
    joined = f"{header}\n{text}" if header else text
    return [(max(table[0].start - shift, 0), table[-1].end - shift) for table in _tables(joined)
            if table[-1].end > shift]


def header_at_end(text: str, inherited: str = "") -> str:
    """The header and separator rows of the table that `text` ends inside ("" when its last line is no table
    row): found in `text`, or `inherited` when the whole of `text` continues a table begun before it. The next
    piece of a long table is read with it (`table_figures(header=...)`)."""
    lines = text.rstrip().split("\n")
    index = len(lines) - 1
    while index >= 0 and lines[index].lstrip().startswith("|"):
        if index >= 1 and _as_separator(lines[index]) and lines[index - 1].lstrip().startswith("|"):
            return f"{lines[index - 1]}\n{lines[index]}"
        index -= 1
    return inherited if index < 0 and lines[-1].lstrip().startswith("|") else ""


def _as_separator(line: str) -> bool:
    return _separates(_cells(line, 0, len(line)))


def _separates(cells: list[Cell]) -> bool:
    """Whether a row is the line of dashes below a table's header."""
    return bool(cells) and all(SEPARATOR_CELL.fullmatch(cell.text) for cell in cells)


def _tables(text: str) -> Iterator[list[Row]]:
    """Each table: its header row, then its data rows (the separator row below the header left out)."""
    run: list[Row] = []
    for start, end in _lines(text):
        if text[start:end].lstrip().startswith("|"):
            run.append(Row(start, end, _cells(text, start, end)))
            continue
        yield from _as_table(run)
        run = []
    yield from _as_table(run)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _cells(text: str, start: int, end: int) -> list[Cell]:
    cells = []
    for match in CELL.finditer(text, start, end):
        stripped = match.group().strip()
        if not stripped and match.end() == end:
            continue  # the space after a row's closing bar
        offset = match.start() + len(match.group()) - len(match.group().lstrip())
        cells.append(Cell(stripped, offset, offset + len(stripped)))
    return cells


def _as_table(run: list[Row]) -> Iterator[list[Row]]:
    """A run of table lines as a table, when its second line separates the header from the rows."""
    if len(run) >= 3 and _separates(run[1].cells):
        yield [run[0], *run[2:]]


def _read_table(table: list[Row], year: int | None, caption: str = "") -> Iterator[TableFigure]:
    header = [cell.text for cell in table[0].cells]
    title = _heading(TABLE_NUMBER.sub("", caption), year) if caption else NO_HEADING
    rows = table[1:]
    headings = [_heading(name, year) for name in header]
    time_column = _time_column(header, rows, year)
    label_column = 0 if time_column != 0 and _labels(rows) else None
    for row in rows:
        cells = row.cells
        timed = time_column is not None and time_column < len(cells)
        row_time = _time(cells[time_column].text, year) if timed else None
        label = _heading(cells[label_column].text, year) if label_column is not None and cells else NO_HEADING
        for index, cell in enumerate(cells):
            if index in (time_column, label_column):
                continue
            column = headings[index] if index < len(headings) else NO_HEADING
            figure = _cell_figure(cell.text, column.unit or label.unit or title.unit)
            if figure is None:
                continue
            value, unit, bound = figure
            time = column.time or row_time or label.time or title.time
            yield TableFigure(value, unit, bound, cell.start, cell.end, (row.start, row.end),
                              _measure(column, label, title), time)


def _measure(column: Heading, label: Heading, title: Heading) -> str:
    """What a figure measures: what its column and its row say, and the table's title where the title gave the
    unit or the column and the row say nothing."""
    parts = [heading for heading in (column, label) if _says_what(heading)]
    if _says_what(title) and (not parts or (title.unit and not (column.unit or label.unit))):
        parts.append(title)
    return ", ".join(heading.words for heading in parts)


def _says_what(heading: Heading) -> bool:
    return bool(heading.words) and heading.words.lower() not in GENERIC_HEADERS


@dataclass(frozen=True)
class Heading:
    """What a column's header or a row's label says of the figures under it or beside it."""

    words: str  # what they measure ("Exports to Chile"), without the unit and the time
    unit: tuple[float, str] | None  # the scale and unit of a bare number: (1e9, "USD") for "USD bn"
    time: TimeExpression | None


NO_HEADING = Heading("", None, None)


def _heading(text: str, year: int | None) -> Heading:
    """"Grain shipped (million tonnes), 2022" -> ("Grain shipped", (1e6, "tonnes"), 2022)."""
    time = _time_in(text, year)
    rest = _tidy(text[:time.start] + text[time.end:]) if time else text
    found = _unit_match(rest)
    words = _tidy(f"{rest[:found[0]]} {found[2]}" if found else rest)
    if time is not None and not set(measure_words(words)) - TIME_WORDS:
        words = ""  # "Before January 2012": a time and nothing measured
    return Heading(words, found[1] if found else None, time)


def _tidy(text: str) -> str:
    return " ".join(text.replace(" ,", ",").split()).strip(" ,;:-–")


def _time_column(header: list[str], rows: list[Row], year: int | None) -> int | None:
    """The column whose cells say when: its header names a time, or it is the first column and its cells are times."""
    for index, name in enumerate(header):
        if name.lower() in TIME_HEADERS:
            return index
    if rows and all(row.cells and _time(row.cells[0].text, year) for row in rows):
        return 0
    return None


def _labels(rows: list[Row]) -> bool:
    """Whether the first column names the rows (words, not figures)."""
    return any(row.cells and not BARE_NUMBER.fullmatch(row.cells[0].text) and not find_figures(row.cells[0].text)
               for row in rows)


def _time(text: str, year: int | None) -> TimeExpression | None:
    """A cell or header that is a time and nothing more ("2021", "Q1 2022", "March 2023")."""
    stripped = text.strip()
    if not stripped or (BARE_NUMBER.fullmatch(stripped) and not YEAR.fullmatch(stripped)):
        return None
    found = resolve(stripped, year_in_force=year)
    if found is None or len(found.text) < len(stripped) - 1:
        return None
    return found


def _time_in(text: str, year: int | None) -> TimeExpression | None:
    """The one time a header or label names among other words ("Exports in 2021", "Ferry sailings, March")."""
    found = find_time_expressions(text, None, year)
    if len(found) == 1:
        return found[0]
    before, comma, last = text.rpartition(",")
    alone = _time(last, year) if comma and not found else None
    if alone is None:
        return None
    shift = len(before) + 1 + len(last) - len(last.lstrip())  # _time reads the part without its spaces
    return replace(alone, start=alone.start + shift, end=alone.end + shift)


def _cell_figure(text: str, named: tuple[float, str] | None) -> tuple[float, str, str | None] | None:
    """A cell's value, unit and bound: as the cell writes them, else its number in the unit and scale its header
    or row label names (`named`: "about 350,000" under "Output (thousand barrels)")."""
    own = find_figures(text)
    if len(own) > 1:
        return None  # several figures in one cell: which one the headers describe is not said
    if own and (own[0].unit != "count" or named is None):
        return own[0].value, own[0].unit, own[0].bound
    if named is None:
        return None
    if own:
        return own[0].value * named[0], named[1], own[0].bound
    if BARE_NUMBER.fullmatch(text) is None:
        return None
    return float(text.replace(",", "").replace("−", "-")) * named[0], named[1], None


def _unit_match(header: str) -> tuple[int, tuple[float, str], str] | None:
    """Where a header's unit begins, its (scale, unit), and what the unit is of ("% of GDP": "of GDP"), which
    belongs to what is measured."""
    for pattern in UNIT_IN_HEADER:
        match = pattern.search(header)
        if match is None:
            continue
        written, of, whole = match.group(1).strip().partition(" of ")
        unit = _unit_of(written)
        if unit is not None:
            return match.start(), unit, f"{of.strip()} {whole}".strip()
    return None


def _unit_of(written: str) -> tuple[float, str] | None:
    """The unit of one written with a number of one: "USD bn" is read as "USD 1 bn", "%" as "1 %"; the reading must
    take in the whole of what is written."""
    first, _, rest = written.partition(" ")
    for template in (f"1 {written}", f"{first} 1 {rest}".strip()):
        figures = find_figures(template)
        if len(figures) == 1 and figures[0].start == 0 and figures[0].end >= len(template) - 1:
            return figures[0].value, figures[0].unit
    return None
