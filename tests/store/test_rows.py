"""The typed records the store returns: their dict is what dataclasses.asdict gives, keys in field order."""

from dataclasses import asdict, fields

import pytest

from dyadwatch.store.rows import ClaimRow, DocumentRow, EventRow, QuantityRow

ROWS = [
    EventRow("e1", "a.txt", "2024-05-02", "2024-05", "month", "AID", "", "economy", "JPN-GOV", None, False, 3.5, 10,
             60, "Tokyo pledged a loan.", 16, 23, confidence=0.75, date_source="document date"),
    QuantityRow("q1", "a.txt", None, 5e6, "USD", "loan", None, "2024", 0, 20, "a loan of USD 5 million"),
    ClaimRow("c1", "b.md", "2023-01-09", "forecast", "author", "2025", 3, 40, "Talks will resume next year."),
    DocumentRow(7, "b.md", "/tmp/b.md", "md", "Talks", "A. Writer", "A Press", "2023-01-09", False, "en"),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: type(row).__name__)
def test_a_rows_dict_is_its_fields_in_order(row):
    shown = row.as_dict()
    assert shown == asdict(row)
    assert list(shown) == [field.name for field in fields(row)]
    shown["id"] = "changed"
    assert row.id != "changed"  # a copy, not the row's own attributes
