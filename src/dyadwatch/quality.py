"""All accuracy figures in one place: the frozen held-out set first, then the sample reports (development
data), search, and the peer suites. Every event figure is score.py's rules on `dyadwatch ingest` +
`export` output."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dyadwatch import evaluate, export, peer
from dyadwatch.ingest.readers import read_document
from dyadwatch.ingest.service import ingest
from dyadwatch.knowledge.cameo import read_cameo_table
from dyadwatch.pipeline import Extractor
from dyadwatch.search import recall_at_k
from dyadwatch.store.database import Store

# The frozen held-out sets, by the name their figures carry, and their folders under the repository's data/: the
# first, then those made later by other writers and annotators (`make eval`, the CI floors, compare_coders.py).
HELDOUT_SETS = {"held-out": "heldout", "held-out B": "heldout_b", "held-out C": "heldout_c", "held-out D": "heldout_d",
                "held-out E": "heldout_e"}
EVENT_LEVELS = ("found", "type", "type+actors", "type+actors+date")
CONFIDENCE_STEPS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
GOLD_LEVELS = (("events", "found"), ("events", "type"), ("events", "type+actors"), ("events", "type+actors+date"),
               ("quantities", "value+unit"), ("claims", "kind"))


Records = dict[str, list[dict]]


RECORD_LEVELS = (("quantities", "found"), ("quantities", "value+unit"), ("claims", "found"), ("claims", "kind"))


def heldout_folders(data: Path) -> dict[str, Path]:
    """The held-out sets' folders under `data` (the repository's data/), by name, the first set first."""
    return {name: data / folder for name, folder in HELDOUT_SETS.items()}


def heldout_figures(folder: Path, records: Records) -> dict[str, float]:
    """Event F1 per level on the held-out set (the records of folder/docs, scored against folder/gold), the
    figures' and claims' F1 where the set has their gold, and the expected calibration error of the confidence
    at the type+actors level."""
    report = evaluate.score(folder / "docs", folder / "gold", records)
    figures = _event_levels(report)
    figures.update({f"held-out {kind} {level}": report[kind][level].f1 for kind, level in RECORD_LEVELS
                    if (folder / "gold" / f"{kind}.jsonl").is_file()})
    if (folder / "gold" / "quantities.jsonl").is_file():
        figures["held-out quantities dated as annotated"] = _figures_dated(folder / "docs", folder / "gold", records)
    return {**figures, **_calibration(folder, records)}


def _figures_dated(docs: Path, gold: Path, records: Records) -> float:
    """Of the figures found with the right value and unit, the share dated as annotated (`evaluate.dated_share`)."""
    return evaluate.dated_share(evaluate.GoldCorpus(docs), evaluate.load_jsonl(gold / "quantities.jsonl"),
                                records["quantities"])


def later_heldout_figures(name: str, folder: Path, records: Records) -> dict[str, float]:
    """Event F1 per level on a held-out set made after the first by other writers and annotators (the records of
    folder/docs against folder/gold/events.jsonl), named "`name` events ...". Each is kept apart from the first so
    that the first's figures stay comparable with every one published before."""
    return _event_levels(evaluate.score(folder / "docs", folder / "gold", records), name)


def fast_coder_figures(folder: Path) -> dict[str, float]:
    """The held-out event figures again with the fast coder (`ingest --coder fast`), named "fast coder, held-out
    ..." (the figures and claims do not depend on the coder)."""
    records = heldout_records(folder, Extractor(coder="fast"))
    figures = {**_event_levels(evaluate.score(folder / "docs", folder / "gold", records)),
               **_calibration(folder, records)}
    return {f"fast coder, {name}": value for name, value in figures.items()}


def _event_levels(report: dict[str, dict[str, evaluate.LevelScore]], name: str = "held-out") -> dict[str, float]:
    return {f"{name} events {level}": report["events"][level].f1 for level in EVENT_LEVELS}


def _calibration(folder: Path, records: Records) -> dict[str, float]:
    confidence, right = _confidence_and_right(*_event_gold(folder), records["events"])
    return {"held-out calibration error": evaluate.calibration_error(confidence, right)}


def _confidence_and_right(corpus: evaluate.GoldCorpus, gold: list[dict], events: list[dict]
                          ) -> tuple[list[float], list[bool]]:
    """Each event's confidence, and whether it is right at type+actors."""
    right = evaluate.matched_records(corpus, gold, events, "events", "type+actors")
    return [e["confidence"] for e in events], right


def _event_gold(folder: Path) -> tuple[evaluate.GoldCorpus, list[dict]]:
    """A held-out set's documents and its gold events."""
    return evaluate.GoldCorpus(folder / "docs"), evaluate.load_jsonl(folder / "gold" / "events.jsonl")


@dataclass(frozen=True)
class SetSummary:
    """The events of one held-out set, or of several as one: each level's score with every event kept,
    type+actors at a minimum confidence, and the expected calibration error of the events' confidence."""

    name: str
    every_event: dict[str, evaluate.LevelScore]
    at_minimum: evaluate.LevelScore
    calibration_error: float


def set_summaries(sets: dict[str, tuple[Path, Records]], minimum: float, together: str) -> list[SetSummary]:
    """A summary of each held-out set (`sets`: by name, its folder and its records), then one named `together` of
    all of them as one set: their documents pooled, so each count is the sum of the sets' and the calibration is
    read over every event."""
    summaries, confidences, rights = [], [], []
    for name, (folder, records) in sets.items():
        corpus, gold = _event_gold(folder)
        events = records["events"]
        kept = [e for e in events if e["confidence"] >= minimum]
        confidence, right = _confidence_and_right(corpus, gold, events)
        confidences += confidence
        rights += right
        summaries.append(SetSummary(name, evaluate.score_kind(corpus, gold, events, "events"),
                                    evaluate.score_kind(corpus, gold, kept, "events")["type+actors"],
                                    evaluate.calibration_error(confidence, right)))
    pooled = {level: _summed([s.every_event[level] for s in summaries]) for level in EVENT_LEVELS}
    return [*summaries, SetSummary(together, pooled, _summed([s.at_minimum for s in summaries]),
                                   evaluate.calibration_error(confidences, rights))]


def _summed(scores: list[evaluate.LevelScore]) -> evaluate.LevelScore:
    return evaluate.LevelScore(sum(s.gold for s in scores), sum(s.system for s in scores),
                               sum(s.matched for s in scores))


def confidence_table(folder: Path, records: Records) -> list[tuple[float, evaluate.LevelScore]]:
    """Type+actors precision and recall on the held-out set (the records of folder/docs) for each minimum
    confidence."""
    corpus, gold = _event_gold(folder)
    return [(step, evaluate.score_kind(corpus, gold, [e for e in records["events"] if e["confidence"] >= step],
                                       "events")["type+actors"]) for step in CONFIDENCE_STEPS]


def heldout_intervals(folder: Path, records: Records) -> dict[str, tuple[float, float]]:
    """Per event level, the 95% interval of the held-out F1 over resampled documents
    (`evaluate.document_interval`)."""
    corpus, gold = _event_gold(folder)
    return {level: evaluate.document_interval(corpus, gold, records["events"], "events", level)
            for level in EVENT_LEVELS}


def heldout_records(folder: Path, extractor: Extractor) -> Records:
    """Every record of the held-out documents (folder/docs), as ingest + export give them, none left out."""
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(str(Path(scratch) / "heldout.db"))
        ingest(store, [folder / "docs"], extractor)
        records = export.gold_records(store, min_confidence=0.0)
        store.close()
    return records


def gold_figures(shared: Path, store: Store) -> dict[str, float]:
    """F1 per level on the sample corpus, from the store's export, as ingest + export + score.py give."""
    seeds, records = shared / "corpus" / "seeds", export.gold_records(store, 0.0)
    report = evaluate.score(seeds, shared / "gold", records)
    return {**{f"samples {kind} {level}": report[kind][level].f1 for kind, level in GOLD_LEVELS},
            "samples quantities dated as annotated": _figures_dated(seeds, shared / "gold", records)}


def search_figure(shared: Path, store: Store, extractor: Extractor, name: str = "search recall@5") -> dict[str, float]:
    """Share of the analysts' questions with a gold evidence sentence in the top 5."""
    recall = recall_at_k(store, extractor.knowledge, shared / "gold" / "questions.jsonl", k=5)
    return {name: round(recall, 3)}


def postgresql_search_figure(shared: Path, url: str, extractor: Extractor) -> dict[str, float]:
    """The search figure again over the sample corpus ingested into the (empty) PostgreSQL database at `url`."""
    store = Store(url)
    try:
        ingest(store, [shared / "corpus" / "seeds"], extractor)
        return search_figure(shared, store, extractor, "search recall@5, PostgreSQL")
    finally:
        store.close()


def peer_figures(shared: Path, extractor: Extractor) -> dict[str, float]:
    """The peer suites. PETRARCH2 is run as PETRARCH runs it, with its folder's actor and verb dictionaries and
    CAMEO->PLOVER table loaded, and again with its actors only, to show what dyadwatch's own vocabulary reaches.
    Every suite runs with `extractor`'s event coder."""
    folder = shared / "peer"
    cameo = read_cameo_table(folder / "CAMEO2PLOVER-2021.txt")
    records = folder / "petrarch2_validation.jsonl"
    with tempfile.TemporaryDirectory() as actors_only:
        shutil.copy(folder / "PETR.Validate.actors.txt", actors_only)
        own_vocabulary = peer.petrarch2_validation(Extractor([actors_only], coder=extractor.coder), records,
                                                   cameo).share
    return {
        "PLOVER GSR": peer.plover_gsr(extractor, folder / "plover_gsr.jsonl").share,
        "PETRARCH2 validation": peer.petrarch2_validation(Extractor([str(folder)], coder=extractor.coder), records,
                                                          cameo).share,
        "PETRARCH2, own vocabulary": own_vocabulary,
    }


def development_figure_scores(train: Path, extractor: Extractor) -> dict[str, float]:
    """Figures (value+unit F1, and the share of those dated as annotated) on the training documents labelled for
    them (`train/*/quantities.jsonl`): the development set the figure rules are judged on before the held-out
    set."""
    folders = sorted(p for p in train.iterdir() if (p / "quantities.jsonl").is_file())
    gold, system = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for folder in folders:
            for path in sorted((folder / "docs").iterdir()):
                name = f"{folder.name}_{path.name}"
                shutil.copy(path, Path(scratch) / name)
                system.extend({"doc": name, "start": q.evidence.start, "end": q.evidence.end, "value": q.value,
                               "unit": q.unit, "date": q.date}
                              for q in extractor.extract(read_document(path)).quantities)
            gold.extend({**g, "doc": f"{folder.name}_{g['doc']}"} for g in evaluate.load_jsonl(folder /
                                                                                              "quantities.jsonl"))
        corpus = evaluate.GoldCorpus(Path(scratch))
        report = evaluate.score_kind(corpus, gold, system, "quantities")
        dated = evaluate.dated_share(corpus, gold, system)
    return {"development figures value+unit": report["value+unit"].f1,
            "development figures dated as annotated": dated} if gold else {}


def measure(shared: Path, heldout: Path, extractor: Extractor | None = None,
            postgresql_url: str | None = None, records: Records | None = None, train: Path | None = None,
            later: dict[str, Path] | None = None, later_records: dict[str, Records] | None = None
            ) -> dict[str, float]:
    """Every figure, the held-out ones first (from `records` when the caller has them already), then those of
    the later held-out sets `later` (by name: "held-out B") where given (from `later_records` likewise, by the
    same names); the sample corpus is ingested once into a scratch database for the gold and search ones, and
    into the empty PostgreSQL database at `postgresql_url`, where given, for search on PostgreSQL; the figures'
    development set of `train` where given."""
    extractor = extractor or Extractor()
    figures = heldout_figures(heldout, records or heldout_records(heldout, extractor))
    for name, folder in (later or {}).items():
        kept = (later_records or {}).get(name)
        figures.update(later_heldout_figures(name, folder, kept or heldout_records(folder, extractor)))
    figures.update(fast_coder_figures(heldout))
    if train is not None:
        figures.update(development_figure_scores(train, extractor))
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(str(Path(scratch) / "samples.db"))
        ingest(store, [shared / "corpus" / "seeds"], extractor)
        figures.update({**gold_figures(shared, store), **search_figure(shared, store, extractor)})
        store.close()
    if postgresql_url:
        figures.update(postgresql_search_figure(shared, postgresql_url, extractor))
    return {**figures, **peer_figures(shared, extractor)}
