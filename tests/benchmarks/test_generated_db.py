"""The helpers that make large benchmark databases: copies keep their quotes at their offsets, move every date by
whole years, and are stored with their stories through the real storing path."""

from __future__ import annotations

import sys
from pathlib import Path

from dyadwatch.model import Document, Event, Extraction, Quantity, Span
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from generated_db import copies, copy_of, later, store_in_batches

TEXT = "Loan news\n\n16 April 2021\n\nOn 14 April 2021 Russia lent Belarus USD 500 million.\n"


def item() -> tuple[Document, Extraction]:
    start = TEXT.index("On 14")
    quote = TEXT[start:].strip()
    span = Span(start, start + len(quote))
    trigger = TEXT.index("lent")
    event = Event("AID", "RUS", "BLR", span, quote, Span(trigger, trigger + 4), domain="finance", date="2021-04-14",
                  date_precision="day")
    figure = Quantity(500e6, "USD", span, quote, measure="loan", date="2021-04")
    document = Document(path="news.txt", name="news.txt", format="txt", text=TEXT, sha256="0" * 64,
                        title="Loan news", date="2021-04-16", date_precision="day")
    return document, Extraction(events=[event], quantities=[figure])


def test_a_copy_moves_every_date_by_whole_years_and_keeps_quotes_at_their_offsets():
    document, extraction = copy_of(item(), 3, "c3")
    assert (document.name, document.date) == ("c3/news.txt", "2024-04-16")
    assert [e.date for e in extraction.events] == ["2024-04-14"]
    assert [q.date for q in extraction.quantities] == ["2024-04"]
    for record in extraction.events + extraction.quantities:
        assert document.text[record.evidence.start:record.evidence.end] == record.quote
    assert document.sha256 != item()[0].sha256
    assert later(None, 5) is None


def test_copies_are_stored_with_their_stories(tmp_path: Path):
    made = copies([item()], 3, first=1)
    assert [d.name for d, _ in made] == ["c1/news.txt", "c2/news.txt", "c3/news.txt"]
    store = Store(str(tmp_path / "copies.db"))
    store_in_batches(store, made)
    assert len(queries.documents(store)) == 3
    assert sorted(s.date for s in build_stories(store)) == ["2022-04-14", "2023-04-14", "2024-04-14"]
