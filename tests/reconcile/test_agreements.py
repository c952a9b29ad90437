"""The register of agreements, programmes and institutions: mentions, stages, status, by their numbers."""

import json
from collections import defaultdict
from dataclasses import astuple
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from dyadwatch.ingest.service import ingest
from dyadwatch.reconcile.agreement_register import agreement_entry, agreement_page, agreements
from dyadwatch.reconcile.agreements import (
    KNOWLEDGE,
    AgreementEvent,
    Mention,
    Sentence,
    Vocabulary,
    document_mentions,
    find_mentions,
    load_vocabulary,
    places,
)
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.store import queries, schema
from dyadwatch.store.database import Store
from dyadwatch.store.reviews import add_review
from tests.analysis.gas_reports import gas_store
from tests.conftest import reopened_as_at, store_of_reports
from tests.recomputed import latest_events

PLACES = frozenset({"russia", "belarus", "russian", "belarusian", "minsk", "moscow"})
CAUCASUS = frozenset({"armenia", "georgia", "armenian", "georgian", "yerevan", "tbilisi"})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, extractor) -> Store:
    return gas_store(tmp_path_factory.mktemp("agreements"), extractor)


def keys(text: str, places: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    return [(f.key, f.kind, f.pattern) for f in find_mentions(text, 0, places=places)]


def test_named_mentions_end_in_their_kind_word():
    text = "In May they met at the Supreme State Council and backed the Treaty on the Creation of a Union State."
    assert keys(text) == [("supreme state council", "institution", "named"),
                          ("treaty on creation of union state", "treaty", "named")]
    assert keys("The Union State treaty was cited.") == [("union state treaty", "treaty", "named")]
    assert keys("She is Programme Manager of the Caspian Desk.") == []  # the head noun is "Manager"
    assert keys("The Council met.") == []  # a lone kind word is no name


def test_generic_mentions_group_by_head_noun_and_modifiers():
    assert keys("Yerevan and Tbilisi signed a new visa-free agreement.") == [("free visa agreement", "agreement",
                                                                           "generic")]
    assert keys("They want an agreement on joint river patrols along the border.") == [
        ("joint patrol river agreement", "agreement", "generic")]
    assert keys("Both sides approved 12 cooperation programmes.") == [("cooperation programme", "programme",
                                                                       "generic")]
    assert keys("Russia signed agreements with many states.") == []  # a verb is no modifier, no determiner
    assert keys("The Minsk agreements were cited.", PLACES) == [("minsk agreement", "agreement", "named")]


def test_country_names_leave_the_keys_of_names():
    text = ("The Armenia-Georgia Intergovernmental Commission, also called the Intergovernmental Commission "
            "of Armenia and Georgia, met twice.")
    assert [k for k, _, _ in keys(text, CAUCASUS)] == ["intergovernmental commission", "intergovernmental commission"]


def test_bare_head_nouns_point_back_to_the_last_mention_with_that_head():
    sentences = [Sentence("d", 0, 56, "The two governments approved the cooperation programmes."),
                 Sentence("d", 57, 96, "The programmes were signed a day later."),
                 Sentence("d", 97, 142, "The council met at the Supreme State Council.")]
    found = [(f.text, key, f.pattern) for f, key in document_mentions(sentences)]
    assert found[:2] == [("cooperation programmes", "cooperation programme", "generic"),
                         ("programmes", "cooperation programme", "anaphoric")]
    assert ("council", "supreme state council", "anaphoric") in found  # no earlier one: the only later one


def test_stage_words_and_the_knowledge_file():
    vocab = load_vocabulary()
    assert [vocab.stage_of(w.split()) for w in ("signed", "entered into force", "negotiations", "suspended",
                                                "significant", "endorsed")] == [
        "signed", "implemented", "negotiated", "suspended", None, "approved"]
    data = yaml.safe_load(KNOWLEDGE.read_text(encoding="utf-8"))
    assert set(data["types"].values()) <= set(data["stages"])
    assert list(data["stages"]) == ["proposed", "negotiated", "signed", "approved", "implemented", "suspended"]


def test_one_agreement_signed_implemented_then_suspended(store: Store):
    register = agreements(store)
    assert [a.key for a in register] == ["gas transit agreement", "transit agreement"]
    deal = register[0]
    assert (deal.kind, deal.status, deal.parties, deal.sources) == ("agreement", "suspended", ("BLR", "RUS"),
                                                                    ("a.txt", "b.txt", "c.txt"))
    assert [(e.doc, e.date, e.type, e.stage) for e in deal.events] == [
        ("a.txt", "2021-03-03", "AGREE", "signed"), ("c.txt", "2021-03-03", "AGREE", "signed"),
        ("b.txt", "2021-06-02", "AID", "implemented"), ("c.txt", "2022-01-10", "SANCTION", "suspended"),
        ("c.txt", "2022-01-10", "SANCTION", "suspended")]
    assert [e.stage_basis for e in deal.events] == ["near", "near", "type", "near", "trigger"]
    assert deal.dates == ("2021-03-03", "2021-06-02", "2022-01-10")
    assert deal.events[0].story_id == deal.events[1].story_id != deal.events[2].story_id  # one signing, two reports
    assert deal.events[3].story_id == deal.events[4].story_id  # the suspension and the halt: one story
    assert len(deal.mentions) == 5  # "the agreement" in c.txt points back
    for mention in deal.mentions:
        assert queries.document_text(store, mention.doc)[mention.start:mention.end] == mention.text
    data = json.loads(json.dumps(deal.as_dict()))
    assert (data["status"], len(data["events"]), data["sources"]) == ("suspended", 5, ["a.txt", "b.txt", "c.txt"])


def test_demo_register_follows_the_union_programmes(demo_store: Store):
    register = {a.key: a for a in agreements(demo_store)}
    programmes = register["union programme"]
    assert len(programmes.sources) >= 3 and programmes.kind == "programme"
    assert programmes.status in ("signed", "approved")
    assert ("2021-09-09", "approved") in {(e.date, e.stage) for e in programmes.events}
    assert {"BLR", "RUS"} <= set(programmes.parties)
    assert register["supreme state council"].kind == "institution"
    assert len(register["integration roadmap"].sources) >= 3
    assert register["union state treaty"].kind == "treaty"


def test_seed_register_finds_the_programmes_and_the_founding_treaty(seeds_store: Store):
    register = {a.key: a for a in agreements(seeds_store)}
    programmes = register["union programme"]
    assert len(programmes.sources) >= 2 and "signed" in {e.stage for e in programmes.events}
    assert any(a.kind == "treaty" and a.key.startswith("treaty on") and a.key.endswith("union state")
               for a in register.values())
    assert register["union state"].kind == "institution"


def status_of(events: tuple[AgreementEvent, ...], doc_dates: dict[str, str | None], vocab: Vocabulary) -> str:
    """The status as defined, computed over every event: the stage of the latest event that is not negated (the
    later stage on the same date)."""
    staged = [e for e in events if e.stage and not e.negated]
    if not staged:
        return ""
    order = {stage: n for n, stage in enumerate(vocab.stage_order)}
    latest = max(staged, key=lambda e: (e.date or doc_dates.get(e.doc) or "", order.get(e.stage, -1)))
    return latest.stage


def scanned_now(store: Store) -> list[tuple]:
    """The register as finding every mention in every sentence now, and reading every event, makes it."""
    vocabulary, known_places = load_vocabulary(), places(store)
    events_by_doc: dict[str, list] = defaultdict(list)
    for event in queries.events(store):
        events_by_doc[event.doc].append(event)
    whole = {event.id: event for events in events_by_doc.values() for event in events}
    story_of = {r.event_id: s.id for s in build_stories(store) for r in s.reports}
    doc_dates = {d.name: d.date for d in queries.documents(store)}
    found: dict[str, list] = defaultdict(list)
    S, D = schema.sentences, schema.documents
    sentences: dict[str, list[Sentence]] = defaultdict(list)
    with store.connect() as conn:
        for row in conn.execute(select(D.c.name, S.c.start, S.c.end, S.c.text).join_from(S, D)):
            sentences[row.name].append(Sentence(row.name, row.start, row.end, row.text))
    for doc, its_sentences in sentences.items():
        for mention, key in document_mentions(its_sentences, vocabulary, known_places):
            found[key].append(Mention(doc, mention.start, mention.end, mention.text, mention.pattern))
    register = []
    for key, mentions in found.items():
        about = tuple(reversed(latest_events(mentions, events_by_doc, vocabulary, None,
                                             lambda ids: {i: whole[i] for i in ids}).events))
        register.append((key, status_of(about, doc_dates, vocabulary), sorted(map(astuple, mentions)),
                         [(e.event_id, story_of.get(e.event_id), e.stage, e.stage_basis) for e in about]))
    return sorted(register)


def read_from_the_table(store: Store) -> list[tuple]:
    return sorted((a.key, a.status, sorted(map(astuple, a.mentions)), [(e.event_id, e.story_id, e.stage, e.stage_basis)
                                                         for e in a.events]) for a in agreements(store))


def test_the_stored_register_is_what_scanning_every_sentence_now_gives(demo_store: Store):
    assert read_from_the_table(demo_store) == scanned_now(demo_store)
    page = agreement_page(demo_store, 2, 3)
    assert page.agreements == agreements(demo_store)[2:5] and page.total == len(agreements(demo_store))


@pytest.mark.parametrize("listed", [1, 2])
def test_an_entry_with_its_latest_events_only_keeps_the_status_parties_and_count_of_the_whole(demo_store: Store,
                                                                                             listed: int):
    whole = agreements(demo_store)
    short = agreement_page(demo_store, events_listed=listed).agreements
    assert [a.key for a in short] == [a.key for a in whole] and any(len(a.events) > listed for a in whole)
    for brief, full in zip(short, whole, strict=True):
        assert (brief.status, brief.parties, brief.event_count) == (full.status, full.parties, len(full.events))
        assert brief.events == full.events[-listed:]


def test_stored_mentions_follow_a_changed_and_a_removed_document(tmp_path: Path, extractor):
    store = gas_store(tmp_path / "first", extractor)
    assert read_from_the_table(store) == scanned_now(store)
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "b.txt").write_text("Gas again\n\n20.06.2021\n\nOn 2 June 2021 Russia and Belarus signed a new gas "
                                   "supply agreement in Minsk.\n", encoding="utf-8")
    assert ingest(store, [changed], extractor).ok  # b.txt replaced
    assert read_from_the_table(store) == scanned_now(store)
    assert any(a.key == "gas supply agreement" for a in agreements(store))
    with store.write() as conn:  # as if a.txt had been removed from the database
        conn.execute(schema.documents.delete().where(schema.documents.c.name == "a.txt"))
    assert "a.txt" not in {m.doc for a in agreements(store) for m in a.mentions}


def test_an_events_review_moves_it_in_its_agreements_order_or_takes_it_out(tmp_path: Path, extractor):
    store = gas_store(tmp_path, extractor)
    entry = next(a for a in agreements(store) if a.event_count >= 3)
    earliest = entry.events[0]
    add_review(store, earliest.event_id, "correct", {"date": "2023-05-01"})
    moved = agreement_entry(store, entry.key, events_listed=1)
    assert [(e.event_id, e.date) for e in moved.events] == [(earliest.event_id, "2023-05-01")]
    assert moved.event_count == entry.event_count
    add_review(store, earliest.event_id, "reject")
    left = agreement_entry(store, entry.key)
    assert left.event_count == entry.event_count - 1 and earliest.event_id not in {e.event_id for e in left.events}


def test_an_entry_with_its_first_documents_only_keeps_the_counts_of_the_whole(demo_store: Store):
    whole = agreements(demo_store)
    short = agreement_page(demo_store, sources_listed=1).agreements
    assert any(len(a.sources) > 1 for a in whole)
    for brief, full in zip(short, whole, strict=True):
        assert (brief.key, brief.name, brief.kind, brief.events) == (full.key, full.name, full.kind, full.events)
        assert (brief.source_count, brief.mention_count) == (len(full.sources), len(full.mentions))
        assert brief.sources == full.sources[:1]
        assert brief.mentions == tuple(m for m in full.mentions if m.doc == full.sources[0])


def test_the_status_comes_from_the_latest_event_that_gives_one_however_far_back(tmp_path: Path, extractor):
    store = gas_store(tmp_path, extractor)
    entry = next(a for a in agreements(store) if a.key == "gas transit agreement")
    suspensions = [e.event_id for e in entry.events if e.stage == "suspended"]
    implemented = next(e for e in entry.events if e.stage == "implemented")
    assert entry.status == "suspended" and len(suspensions) == 2
    for event_id in suspensions:
        add_review(store, event_id, "reject")
    latest = agreement_entry(store, entry.key, events_listed=1)
    assert ([e.event_id for e in latest.events], latest.status) == ([implemented.event_id], "implemented")
    add_review(store, implemented.event_id, "correct", {"date": "2020-01-01"})  # now before the signing
    for listed in (1, None):
        moved = agreement_entry(store, entry.key, events_listed=listed)
        assert moved.status == "signed" and moved.event_count == entry.event_count - 2
    assert agreement_page(store, events_listed=1).agreements[0].status == "signed"


def test_a_database_at_0011_gets_its_links_staged_and_its_scans_marked(tmp_path: Path, extractor):
    store = gas_store(tmp_path, extractor)
    before = read_from_the_table(store)
    # as stored by the revision before: no stages, no marks, one document unscanned
    upgraded = reopened_as_at(store, "0011", "DROP INDEX ix_agreement_events_status",
                              "ALTER TABLE agreement_events DROP COLUMN status_stage", "DROP TABLE agreement_pending",
                              "DELETE FROM agreement_scans WHERE document = 'b.txt'")
    with upgraded.connect() as conn:
        assert list(conn.execute(select(schema.agreement_pending.c.document)).scalars()) == ["b.txt"]
        assert conn.execute(select(func.count()).where(schema.agreement_events.c.status_stage.isnot(None))).scalar()
    assert read_from_the_table(upgraded) == before
    with upgraded.connect() as conn:
        assert not conn.execute(select(schema.agreement_pending.c.document)).first()


def test_an_institution_that_acts_takes_no_stage_from_its_act(tmp_path: Path, extractor):
    """The stage of an act belongs to what it is done to: the programme approved, not the commission approving it
    (an institution can still be staged by acts done to it)."""
    report = ("Fisheries brief\n\n4 May 2022\n\n"
              "The European Commission approved the Baltic fisheries programme for Estonia on 3 May.\n")
    store = store_of_reports(tmp_path / "docs", {"fish.txt": report}, extractor, str(tmp_path / "fish.db"))
    assert any((e.source or "").startswith("EU") and "approved" in e.quote for e in queries.events(store))
    register = {a.key: a for a in agreements(store)}
    commission = next(a for a in register.values() if a.kind == "institution")
    programme = next(a for a in register.values() if a.kind == "programme")
    assert "Commission" in commission.name and (commission.status, commission.events) == ("", ())
    assert programme.status == "approved"
