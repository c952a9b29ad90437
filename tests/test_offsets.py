"""Every record points at the exact characters of its source: original[start:end] == quote."""

from sqlalchemy import select

from dyadwatch.store import schema
from tests.conftest import SEEDS, store_of_reports

# A hand-written web page: share, print and rating lines around a lead paragraph the page prints twice.
LEAD = "Georgia–Armenia rail transit has become a fixed item on the agenda of both cabinets in recent years."
PAGE = (f"Rails across the Caucasus\n\n14.05.2019\n\nPrint\n\nShare this article\n\n{LEAD}\n\n"
        f"Rate this article\n(votes: 3, rating: 4)\n\n{LEAD}\n\n"
        "Freight on the line through Sadakhlo grew by a fifth in 2018.\n")


def test_every_record_of_the_seeds_quotes_the_original_file_exactly(seeds_store):
    originals = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.iterdir()}
    checked = 0
    with seeds_store.connect() as conn:
        names = dict(conn.execute(select(schema.documents.c.id, schema.documents.c.name)).all())
        for table in (schema.events, schema.quantities, schema.claims):
            for row in conn.execute(select(table.c.document_id, table.c.start, table.c.end, table.c.quote)):
                assert originals[names[row.document_id]][row.start:row.end] == row.quote
                checked += 1
        for table in (schema.sentences, schema.mentions):
            for row in conn.execute(select(table.c.document_id, table.c.start, table.c.end, table.c.text)):
                assert originals[names[row.document_id]][row.start:row.end] == row.text
                checked += 1
        events = select(schema.events.c.document_id, schema.events.c.trigger_start, schema.events.c.trigger_end,
                        schema.events.c.start, schema.events.c.end)
        for row in conn.execute(events):
            assert row.start <= row.trigger_start < row.trigger_end <= row.end
        roles = select(schema.events.c.document_id, schema.events.c.source_start, schema.events.c.source_end)
        spans = [r for r in conn.execute(roles) if r.source_start is not None]
        assert spans and all(r.source_start < r.source_end for r in spans)
    assert checked > 500


def test_page_furniture_and_repeated_paragraphs_yield_no_records(tmp_path, extractor):
    store = store_of_reports(tmp_path, {"page.txt": PAGE}, extractor, str(tmp_path / "page.db"))
    with store.connect() as conn:
        sentences = [r.text for r in conn.execute(select(schema.sentences.c.text))]
    assert any(s.startswith("Freight on the line") for s in sentences)
    assert not any(s.startswith(("Rate this article", "Share this article", "Print")) for s in sentences)
    assert not any("(votes:" in s for s in sentences)
    assert [s for s in sentences if s.startswith("Georgia–Armenia rail transit")] == [LEAD]
