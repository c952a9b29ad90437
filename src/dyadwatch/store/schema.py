"""Tables (SQLAlchemy Core): SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    literal_column,
)

metadata = MetaData()

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", String(32), nullable=False),
    Column("pipeline_version", String(32), nullable=False),
    Column("knowledge_version", String(32), nullable=False),
    Column("model", String(64), nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("path", Text, nullable=False),  # where it was last read from; the name is the key
    Column("name", Text, nullable=False),  # its path under the folder ingested: "2021/brief.txt"
    Column("format", String(16), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("title", Text, default=""),
    Column("authors", Text, default=""),
    Column("publisher", Text, default=""),
    # The publisher the profiles group it under (publishers.py), as read or as an analyst corrected it.
    Column("publisher_name", Text, default=""),
    Column("date", String(10)),
    Column("date_precision", String(8)),
    Column("date_inferred", Boolean, default=False),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Index("ix_documents_name", "name", unique=True),
    Index("ix_documents_sha256", "sha256"),
    Index("ix_documents_date", "date"),  # the overview's date range: min and max read from the index
    # A publisher's documents in date order, their dates and authors, read from the index alone.
    Index("ix_documents_publisher_name", "publisher_name", "date", "name", "authors"),
)
# The documents listing's order (undated first, then by name), so that a page reads the index from its offset
# instead of sorting every document; SQLite only, whose text order is the code points' (PostgreSQL sorts them).
LISTING_DATE = func.coalesce(documents.c.date, literal_column("''"))  # literal: SQLite matches the index's expression
Index("ix_documents_listing", LISTING_DATE, documents.c.name).ddl_if(dialect="sqlite")

sentences = Table(
    "sentences", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("paragraph", Integer, nullable=False),
    Column("heading", Text, default=""),
    Column("text", Text, nullable=False),
    Column("stems", Text, nullable=False, default=""),  # stemming.stems_of(text), what full-text search indexes
    Index("ix_sentences_document", "document_id", "start"),
)

actors = Table(
    "actors", metadata,
    Column("code", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32)),
)

aliases = Table(
    "aliases", metadata,
    Column("alias", Text, primary_key=True),
    Column("code", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Index("ix_aliases_code", "code"),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("code", String(32), nullable=False),
    Index("ix_mentions_code", "code"),
    Index("ix_mentions_document", "document_id"),
)


def _evidence_columns() -> list[Column]:
    return [
        Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("quote", Text, nullable=False),
        Column("run_id", Integer, ForeignKey("runs.id")),
    ]


events = Table(
    "events", metadata,
    Column("id", String(24), primary_key=True),
    *_evidence_columns(),
    Column("type", String(16), nullable=False),
    Column("mode", String(32), default=""),
    Column("domain", String(16), nullable=False),
    Column("source", String(32)),
    Column("target", String(32)),
    Column("date", String(10)),
    Column("date_precision", String(8)),
    Column("negated", Boolean, default=False),
    Column("intensity", Float, default=0.0),
    Column("confidence", Float, default=1.0),
    Column("date_source", String(120), default=""),
    Column("date_begin", String(10)),  # the first and last day the date's phrase allows (NULL: the date's whole
    Column("date_end", String(10)),  # year, month or day, as for a corrected date or a database made before)
    Column("trigger_start", Integer),
    Column("trigger_end", Integer),
    Column("source_start", Integer),
    Column("source_end", Integer),
    Column("target_start", Integer),
    Column("target_end", Integer),
    Index("ix_events_document", "document_id", "start"),  # and the events of a sentence, by their start
    Index("ix_events_date", "date"),
    Index("ix_events_confidence", "confidence"),  # the review queue: least certain first
    # An actor's events (event_listing.of_actor), latest first. On PostgreSQL the codes are indexed by code point
    # (text_pattern_ops), so that a sub-actor's LIKE 'X-%' reads the index whatever the database's locale.
    Index("ix_events_source", "source", "date", postgresql_ops={"source": "text_pattern_ops"}),
    Index("ix_events_target", "target", "date", postgresql_ops={"target": "text_pattern_ops"}),
    # Covers what the listings' counts and facets read, so that they scan an index instead of the wide rows.
    Index("ix_events_listing", "type", "domain", "date", "source", "target", "document_id", "confidence", "intensity",
          "negated", "id"),
    Index("ix_events_domain", "domain", "type", "date", "source", "target", "document_id", "confidence", "intensity",
          "negated", "id"),  # the same for a listing filtered by domain, without scanning every type's entries
)

quantities = Table(
    "quantities", metadata,
    Column("id", String(24), primary_key=True),
    *_evidence_columns(),
    Column("value", Float, nullable=False),
    Column("unit", String(32), nullable=False),
    Column("measure", Text, default=""),
    Column("bound", String(8)),
    Column("date", String(10)),
    Column("indicator", Text, nullable=False, server_default=""),  # measures.indicator_key; "" without a measure
    Index("ix_quantities_document", "document_id"),
    # An indicator's figures by date; covers what the indicators listing counts per key (points, first and last
    # date, documents, wordings).
    Index("ix_quantities_series", "indicator", "date", "document_id", "measure", "id"),
)

claims = Table(
    "claims", metadata,
    Column("id", String(24), primary_key=True),
    *_evidence_columns(),
    Column("kind", String(16), nullable=False),
    Column("holder", String(32), nullable=False),
    Column("horizon", String(10)),
    Index("ix_claims_document", "document_id", "kind", "id"),  # and the claims per kind, read from the index
)


reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", String(24), nullable=False),
    Column("action", String(16), nullable=False),
    Column("changes", Text, default="{}"),
    Column("note", Text, default=""),
    Column("author", Text, default=""),
    Column("created_at", String(32), nullable=False),
    Index("ix_reviews_record", "record_id"),
)


# Stories, kept up to date as documents and reviews arrive (reconcile/story_table.py).
stories = Table(
    "stories", metadata,
    Column("id", String(24), primary_key=True),  # "s" and a number given in order: the older of two is the lower
    Column("type", String(16), nullable=False),
    Column("domain", String(16), nullable=False),
    Column("source", String(32)),
    Column("target", String(32)),
    Column("date", String(10)),
    Column("intensity", Float, default=0.0),
    Column("negated", Boolean, default=False),
    Column("contradictions", Text, default="[]"),
    # What the listing orders by (story_rules.rank): documents and reports that tell it, its earliest report.
    Column("source_count", Integer),
    Column("report_count", Integer),
    Column("earliest", Text),
    Index("ix_stories_rank", "source_count", "report_count"),
    Index("ix_stories_source", "source", postgresql_ops={"source": "text_pattern_ops"}),  # as the events'
    Index("ix_stories_target", "target", postgresql_ops={"target": "text_pattern_ops"}),
)

# One row per event that tells a story, with its values after reviews, so that stories are read without
# re-applying reviews; block and period find the events a new one may join.
story_reports = Table(
    "story_reports", metadata,
    Column("event_id", String(24), primary_key=True),
    Column("story_id", String(24), nullable=False),
    Column("document", Text, nullable=False),
    Column("date", String(10)),
    Column("source", String(32)),
    Column("target", String(32)),
    Column("figures", Text, default="[]"),
    Column("confidence", Float, default=1.0),
    Column("publisher", Text, default=""),  # its document's publisher_name when written: what the tallies counted
    Column("block", String(120)),  # side of the scale and countries; NULL for a negated event, which joins no other
    Column("period", String(7), nullable=False),
    Index("ix_story_reports_story", "story_id"),
    Index("ix_story_reports_document", "document"),
    Index("ix_story_reports_block", "block", "period"),
    Index("ix_story_reports_confidence", "confidence"),  # the stories holding events under a threshold
)

# The id of a story merged into another, so that a saved link still opens it.
story_aliases = Table(
    "story_aliases", metadata,
    Column("retired_id", String(24), primary_key=True),
    Column("story_id", String(24), nullable=False),
)

# Documents stored or replaced since the stories were last updated.
story_pending = Table(
    "story_pending", metadata,
    Column("document", Text, primary_key=True),
)

# The reviews the stored stories apply, as they were then: one changed, added or removed since re-places its record.
story_reviews = Table(
    "story_reviews", metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", String(24), nullable=False),
    Column("action", String(16), nullable=False),
    Column("changes", Text, nullable=False),
)

# The mentions of named agreements, programmes and institutions in each document (reconcile/agreement_table.py),
# found once per version of a document and of the agreement vocabulary, so that the register is read in SQL.
agreement_mentions = Table(
    "agreement_mentions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("pattern", String(16), nullable=False),  # named | generic | anaphoric
    Column("key", Text, nullable=False),
    Column("kind", String(32), nullable=False, default=""),
    # Cover what the register counts per agreement (its documents, its surfaces), so that it reads an index in
    # its order instead of the rows.
    Index("ix_agreement_mentions_key", "key", "document"),
    Index("ix_agreement_mentions_surfaces", "key", "text", "kind", "pattern"),
    Index("ix_agreement_mentions_document", "document", "start"),
)

# The events about each agreement (their quote overlaps one of its mentions), each with the first mention of its
# document it overlaps, the date it is ordered by, and what the register counts of it as extracted (an analyst's
# review is read from the event), linked when the mentions are found (agreement_table.py).
agreement_events = Table(
    "agreement_events", metadata,
    Column("key", Text, primary_key=True),
    Column("event_id", String(24), primary_key=True),
    Column("document", Text, nullable=False),
    Column("sort_date", String(10), nullable=False),  # the event's date, else its document's, else ""
    Column("confidence", Float),
    Column("source", String(32)),
    Column("target", String(32)),
    Column("mention_start", Integer, nullable=False),
    Column("mention_end", Integer, nullable=False),
    Column("mention_text", Text, nullable=False),
    Column("mention_pattern", String(16), nullable=False),
    # The stage the event gives the agreement's status (reconcile/agreements.py event_stage), NULL when it gives
    # none or is negated: the status is the latest of these, found through the index below without reading the
    # events after it.
    Column("status_stage", String(32)),
    Index("ix_agreement_events_document", "document"),
    Index("ix_agreement_events_order", "key", "sort_date", "confidence", "event_id"),  # the latest first, filtered
    Index("ix_agreement_events_parties", "key", "source", "target", "confidence", "event_id"),  # covers the counts
)
Index("ix_agreement_events_status", agreement_events.c.key, agreement_events.c.sort_date,
      sqlite_where=agreement_events.c.status_stage.isnot(None),
      postgresql_where=agreement_events.c.status_stage.isnot(None))

# Which version of each document its agreement mentions were found in, and with which vocabulary.
agreement_scans = Table(
    "agreement_scans", metadata,
    Column("document", Text, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("vocabulary", String(64), nullable=False),
    Index("ix_agreement_scans_vocabulary", "vocabulary"),  # whether any scan used another vocabulary
)

# Documents stored or replaced since their agreement mentions were last found.
agreement_pending = Table(
    "agreement_pending", metadata,
    Column("document", Text, primary_key=True),
)

# The forecasts whose candidate events are stored (analysis/forecast_table.py), with what the candidates were
# found with: the forecast's content words, the names among them, its window (rule 5) and the names left out.
forecast_terms = Table(
    "forecast_terms", metadata,
    Column("claim_id", String(24), primary_key=True),
    Column("document", Text, nullable=False),
    Column("words", Text, nullable=False),  # space-separated stems
    Column("name_parts", Text, nullable=False),  # the stems of the several-word names among them
    Column("window_first", String(10)),  # NULL for a forecast in an undated document
    Column("window_last", String(10)),
    Column("vocabulary", String(32), nullable=False),
    Index("ix_forecast_terms_document", "document"),
    Index("ix_forecast_terms_window", "window_last", "window_first"),
)

# The events of other documents that share enough words with a forecast and are dated in its window.
forecast_candidates = Table(
    "forecast_candidates", metadata,
    Column("claim_id", String(24), primary_key=True),
    Column("event_id", String(24), primary_key=True),
    Column("document", Text, nullable=False),  # the event's
    Index("ix_forecast_candidates_document", "document"),
)

# Which version of each document its events were matched against the stored forecasts in.
forecast_scans = Table(
    "forecast_scans", metadata,
    Column("document", Text, primary_key=True),
    Column("sha256", String(64), nullable=False),
)

# Documents stored or replaced since their events were last matched against the stored forecasts.
forecast_pending = Table(
    "forecast_pending", metadata,
    Column("document", Text, primary_key=True),
)

# Where the stories stand: whether they were built, the last story number given, the reviews found invalid.
story_state = Table(
    "story_state", metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Text, nullable=False),
)

# The stored events (at the default confidence threshold) and stories counted per value of what the unfiltered
# pages add up (store/tallies.py): kept as they are written and removed, so those pages read a few rows per value.
tallies = Table(
    "tallies", metadata,
    Column("facet", String(80), primary_key=True),
    Column("value", Text, primary_key=True),
    Column("events", Integer, nullable=False),
    Column("positive", Float, nullable=False),
    Column("negative", Float, nullable=False),
    Index("ix_tallies_events", "facet", "events"),  # a facet's values with the most records first
)
