"""Figures read from tables: units and scales from headers, measures from headers and row labels, times from
a time column or time headers. Tables are the project's own, on pairs chosen for the purpose."""

from __future__ import annotations

import pytest

from dyadwatch.model import Document
from dyadwatch.nlp.tables import table_figures

LONG = """| Year | Exports to Chile (USD bn) | Imports from Chile, USD bn |
|---|---|---|
| 2020 | 8.6 | 6.8 |
| 2021 | 1,010.3 | 7.9 |"""

WIDE = """| Indicator | 2021 | 2022 |
| :--- | ---: | ---: |
| Gas deliveries (bcm) | 4.1 | 3.2 |
| Inflation | 8.4% | 20.3% |
| Rank | 3 | 4 |"""

BY_PARTNER = """| Partner | Share of exports (%) | Remarks |
|---|---|---|
| Peru | 41 | rising |
| Bolivia | – | n/a |"""


def readings(text: str) -> list[tuple[float, str, str, str | None, str]]:
    return [(f.value, f.unit, f.measure, f.time.value if f.time else None, text[f.start:f.end])
            for f in table_figures(text)]


def test_a_time_column_dates_each_row_and_headers_give_unit_scale_and_measure() -> None:
    assert readings(LONG) == [
        (8.6e9, "USD", "Exports to Chile", "2020", "8.6"), (6.8e9, "USD", "Imports from Chile", "2020", "6.8"),
        (1010.3e9, "USD", "Exports to Chile", "2021", "1,010.3"), (7.9e9, "USD", "Imports from Chile", "2021", "7.9")]


def test_time_headers_date_each_column_and_row_labels_say_what_is_measured() -> None:
    assert readings(WIDE) == [
        (4.1, "bcm", "Gas deliveries", "2021", "4.1"), (3.2, "bcm", "Gas deliveries", "2022", "3.2"),
        (8.4, "percent", "Inflation", "2021", "8.4%"), (20.3, "percent", "Inflation", "2022", "20.3%")]


def test_rows_of_a_table_without_times_are_measured_by_header_and_label() -> None:
    assert readings(BY_PARTNER) == [(41.0, "percent", "Share of exports, Peru", None, "41")]


def test_a_table_of_items_takes_the_measure_and_time_from_each_label() -> None:
    text = """| item | value | note |
| --- | --- | --- |
| Ferry sailings, March | about 40 | weekly |
| Grain shipped (million tonnes), 2022 | 3.5 | by rail |"""
    assert readings(text) == [(40.0, "count", "Ferry sailings, March", None, "about 40"),  # March of which year?
                              (3.5e6, "tonnes", "Grain shipped", "2022", "3.5")]
    assert [(f.value, f.unit, f.measure, f.time.value) for f in table_figures(text, year=2023)] == [
        (40.0, "count", "Ferry sailings", "2023-03"), (3.5e6, "tonnes", "Grain shipped", "2022")]


def test_each_figure_points_at_its_row() -> None:
    text = "Trade grew.\n" + LONG
    rows = {text[f.row[0]:f.row[1]] for f in table_figures(text)}
    assert rows == {"| 2020 | 8.6 | 6.8 |", "| 2021 | 1,010.3 | 7.9 |"}


@pytest.mark.parametrize("text", [
    "| a | b |\n| 1 | 2 |\n| 3 | 4 |",  # no separator row: not a table
    "| Year | Flights |\n|---|---|\n| 2020 | 12 |",  # a header that names no unit
    "Exports grew | imports fell\n|---|",
])
def test_lines_that_are_no_table_or_name_no_unit_give_no_figures(text: str) -> None:
    assert table_figures(text) == []


def test_a_documents_table_gives_dated_figures_that_keep_their_rows_dates(extractor) -> None:
    text = ("Chile and Peru: trade note\n\n4 September 2023\n\nTrade between Chile and Peru grew again.\n\n"
            f"{LONG}\n")
    document = Document(path="/trade.md", name="trade.md", format="md", text=text, sha256="0" * 64)
    found = {(q.value, q.unit, q.measure, q.date, q.quote) for q in extractor.extract(document).quantities}
    assert (8.6e9, "USD", "exports to chile", "2020", "| 2020 | 8.6 | 6.8 |") in found
    assert (7.9e9, "USD", "imports from chile", "2021", "| 2021 | 1,010.3 | 7.9 |") in found


def test_a_table_longer_than_a_parsed_piece_is_read_under_its_header_to_the_end(extractor) -> None:
    from dyadwatch.pipeline import paragraph_blocks

    rows = "\n".join(f"| {1900 + i} | {i}.5 | {i}.25 |" for i in range(150))
    text = (f"Chile: trade\n\n4 September 2023\n\n| Year | Exports to Peru (USD bn) | Imports, % of GDP |\n"
            f"|---|---|---|\n{rows}\n\nEnd.\n")
    assert len(paragraph_blocks(text)) > 4  # the table is parsed in pieces
    document = Document(path="/long.md", name="long.md", format="md", text=text, sha256="0" * 64)
    found = {(q.date, q.value, q.unit, q.measure) for q in extractor.extract(document).quantities}
    assert len(found) == 300
    assert ("2049", 149.5e9, "USD", "exports to peru") in found
    assert ("2049", 149.25, "percent", "imports of gdp") in found


def test_a_tables_title_gives_the_unit_its_headers_do_not_and_says_what_is_measured() -> None:
    text = ("Table 2. Chilean trade with Peru, USD billion\n| Year | Exports | Imports |\n|---|---|---|\n"
            "| 2020 | 8.6 | 6.8 |")
    assert readings(text) == [(8.6e9, "USD", "Exports, Chilean trade with Peru", "2020", "8.6"),
                              (6.8e9, "USD", "Imports, Chilean trade with Peru", "2020", "6.8")]
    after_prose = "Trade grew, in USD billion.\n" + text.split("\n", 1)[1]  # a sentence before a table is no title
    assert readings(after_prose) == []


def test_a_documents_table_under_a_title_paragraph_takes_its_unit(extractor) -> None:
    text = ("Chile and Peru: trade note\n\n4 September 2023\n\nTrade grew again.\n\n"
            "Trade with Peru (USD bn)\n\n| Year | Exports | Imports |\n|---|---|---|\n| 2021 | 1.5 | 2.5 |\n")
    document = Document(path="/t.md", name="t.md", format="md", text=text, sha256="0" * 64)
    found = {(q.value, q.unit, q.measure, q.date) for q in extractor.extract(document).quantities}
    assert found == {(1.5e9, "USD", "exports, trade with peru", "2021"),
                     (2.5e9, "USD", "imports, trade with peru", "2021")}


def test_a_section_title_that_gives_no_unit_stays_out_of_a_measure_the_rows_give() -> None:
    text = "| item | value |\n|---|---|\n| Grain shipped | 3.5 million tonnes |"
    assert [f.measure for f in table_figures(text, caption="Key numbers")] == ["Grain shipped"]
    bare = "| Year | Total |\n|---|---|\n| 2021 | 3.5 |"
    assert [(f.measure, f.unit) for f in table_figures(bare, caption="Grain shipped, million tonnes")] == [
        ("Total, Grain shipped", "tonnes")]
