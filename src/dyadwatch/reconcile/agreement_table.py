"""The stored mentions of named agreements, kept up to date with the documents.

Finding mentions reads every word of a document (reconcile/agreements.py), so it is done once per version of a
document: a document is scanned again when it is new, when its content changed (its sha256), or when the
vocabulary did (knowledge/agreements.yaml, or the place names in the database's aliases); the mentions of a
document no longer stored are dropped. Like the stories, the table is brought up to date by whoever reads it;
the store marks each document it stores or replaces, so that finding what to scan reads those marks, not every
document.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import Connection, Row, Table, insert, or_, select

from dyadwatch.reconcile.agreements import (
    KNOWLEDGE,
    Mention,
    Sentence,
    Vocabulary,
    document_mentions,
    load_vocabulary,
    places,
    status_stage,
)
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.marks import documents_gone, unmark
from dyadwatch.store.reviews import chunks

M, SCANS, LINKS, PENDING = (schema.agreement_mentions, schema.agreement_scans, schema.agreement_events,
                            schema.agreement_pending)
D, S, E = schema.documents, schema.sentences, schema.events
BATCH = 200  # documents scanned, and their mentions stored, in one transaction
LINK_RULE = "2: not the source's own name"  # changed with link_events' rule, so that stored documents are relinked


def update_agreement_mentions(store: Store) -> None:
    """Scan the documents whose mentions are missing or stale; drop those of documents no longer stored."""
    known_places = places(store)
    fingerprint = vocabulary_fingerprint(known_places)
    with store.connect() as conn:
        stale, gone = _stale(conn, fingerprint), documents_gone(conn, SCANS, PENDING)
    if not stale and not gone:
        return
    vocabulary = load_vocabulary()
    with store.write() as conn:
        _forget(conn, gone, (LINKS, M, SCANS, PENDING))
    for batch in chunks(stale, BATCH):
        with store.connect() as conn:
            sentences = _sentences(conn, batch)
        found = {doc: document_mentions(sentences.get(doc, []), vocabulary, known_places) for doc, _ in batch}
        with store.write() as conn:
            _store(conn, batch, found, fingerprint)


def vocabulary_fingerprint(known_places: frozenset[str]) -> str:
    """What the mentions and their links depend on besides the text: the agreement vocabulary, the place names and
    the rule that links events."""
    digest = hashlib.sha256(KNOWLEDGE.read_bytes())
    digest.update(LINK_RULE.encode())
    digest.update("\n".join(sorted(known_places)).encode())
    return digest.hexdigest()[:32]


def _stale(conn: Connection, fingerprint: str) -> list[tuple[str, str]]:
    """(name, sha256) of the documents to scan, in name order: those stored or replaced since they were scanned
    (the store marks them), or, when the vocabulary changed, every one whose scan used another."""
    if conn.execute(select(SCANS.c.document).where(or_(SCANS.c.vocabulary < fingerprint,
                                                       SCANS.c.vocabulary > fingerprint)).limit(1)).first():
        return unscanned(conn, fingerprint)
    query = select(D.c.name, D.c.sha256).select_from(D.join(PENDING, PENDING.c.document == D.c.name))
    return [(row.name, row.sha256) for row in conn.execute(query.order_by(D.c.name))]


def unscanned(conn: Connection, fingerprint: str) -> list[tuple[str, str]]:
    """(name, sha256) of the documents with no scan of their content with the vocabulary, in name order."""
    query = (select(D.c.name, D.c.sha256).select_from(D.outerjoin(SCANS, SCANS.c.document == D.c.name))
             .where((SCANS.c.document.is_(None)) | (SCANS.c.sha256 != D.c.sha256)
                    | (SCANS.c.vocabulary != fingerprint)).order_by(D.c.name))
    return [(row.name, row.sha256) for row in conn.execute(query)]


def _forget(conn: Connection, names: list[str], tables: tuple[Table, ...] = (LINKS, M, SCANS)) -> None:
    for chunk in chunks(names):
        for table in tables:
            conn.execute(table.delete().where(table.c.document.in_(chunk)))


def _sentences(conn: Connection, batch: list[tuple[str, str]]) -> dict[str, list[Sentence]]:
    query = (select(D.c.name, S.c.start, S.c.end, S.c.text).select_from(S.join(D, S.c.document_id == D.c.id))
             .where(D.c.name.in_([name for name, _ in batch])))
    by_doc: dict[str, list[Sentence]] = defaultdict(list)
    for row in conn.execute(query):
        by_doc[row.name].append(Sentence(row.name, row.start, row.end, row.text))
    return by_doc


def _store(conn: Connection, batch: list[tuple[str, str]], found: dict, fingerprint: str) -> None:
    """The batch's mentions and scans, replacing what an earlier scan (or another reader meanwhile) stored."""
    _forget(conn, [name for name, _ in batch])
    rows = [{"document": doc, "start": f.start, "end": f.end, "text": f.text, "pattern": f.pattern, "key": key,
             "kind": f.kind or ""} for doc, mentions in found.items() for f, key in mentions]
    if rows:
        conn.execute(insert(M), rows)
    conn.execute(insert(SCANS), [{"document": name, "sha256": sha256, "vocabulary": fingerprint}
                                 for name, sha256 in batch])
    unmark(conn, PENDING, batch)
    link_events(conn, [name for name, _ in batch])


def link_events(conn: Connection, names: list[str]) -> None:
    """Link the events of the documents to the agreements their stored mentions name, replacing earlier links: an
    event is about an agreement when its quote overlaps one of its mentions, other than one naming its source (an
    institution that acts is not what it acts on), and is linked to the first of them (in the order they were
    found)."""
    vocabulary = load_vocabulary()
    for chunk in chunks(names):
        conn.execute(LINKS.delete().where(LINKS.c.document.in_(chunk)))
        mentions: dict[str, list[Row]] = defaultdict(list)
        for row in conn.execute(select(M).where(M.c.document.in_(chunk)).order_by(M.c.id)):
            mentions[row.document].append(row)
        events: dict[str, list[Row]] = defaultdict(list)
        query = (select(D.c.name, D.c.date.label("doc_date"), E.c.id, E.c.start, E.c.end, E.c.date, E.c.confidence,
                        E.c.source, E.c.target, E.c.quote, E.c.type, E.c.negated, E.c.trigger_start, E.c.trigger_end,
                        E.c.source_start, E.c.source_end)
                 .select_from(E.join(D, D.c.id == E.c.document_id)).where(D.c.name.in_(sorted(mentions))))
        for row in conn.execute(query):
            events[row.name].append(row)
        rows = [link for doc, found in mentions.items() for link in _links(found, events[doc], vocabulary)]
        if rows:
            conn.execute(insert(LINKS), rows)


def _links(mentions: list[Row], events: list[Row], vocabulary: Vocabulary) -> list[dict]:
    """One document's links: (agreement, event) once, with the first mention the event overlaps and the stage it
    gives the agreement's status."""
    linked: dict[tuple[str, str], dict] = {}
    for mention in mentions:
        for event in events:
            if (mention.key, event.id) not in linked and event.start < mention.end and mention.start < event.end \
                    and not _names_the_source(mention, event):
                linked[mention.key, event.id] = {
                    "key": mention.key, "event_id": event.id, "document": mention.document,
                    "sort_date": event.date or event.doc_date or "", "confidence": event.confidence,
                    "source": event.source, "target": event.target, "mention_start": mention.start,
                    "mention_end": mention.end, "mention_text": mention.text, "mention_pattern": mention.pattern,
                    "status_stage": status_stage(event, _mention(mention), vocabulary)}
    return list(linked.values())


def _names_the_source(mention: Row, event: Row) -> bool:
    """Whether the mention shares words with those naming the event's source ("the Commission approved the plan";
    a source the text leaves unnamed has no words)."""
    return event.source_start is not None and event.source_start < event.source_end \
        and event.source_start < mention.end and mention.start < event.source_end


def _mention(row: Row) -> Mention:
    return Mention(row.document, row.start, row.end, row.text, row.pattern)
