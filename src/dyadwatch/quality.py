"""All accuracy figures in one place: the gold levels (score.py's rules) and the peer suites."""

from __future__ import annotations

import tempfile
from pathlib import Path

from dyadwatch import evaluate, export, peer
from dyadwatch.ingest.service import ingest
from dyadwatch.pipeline import Extractor
from dyadwatch.store.database import Store

GOLD_LEVELS = (("events", "found"), ("events", "type"), ("events", "type+actors"), ("events", "type+actors+date"),
               ("quantities", "value+unit"), ("claims", "kind"))


def gold_figures(shared: Path, extractor: Extractor) -> dict[str, float]:
    """F1 per level on the sample corpus, through the same path as ingest + export + score.py."""
    docs, gold = shared / "corpus" / "seeds", shared / "gold"
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(str(Path(scratch) / "gold.db"))
        ingest(store, [docs], extractor)
        records = export.gold_records(store)
        store.close()
    report = evaluate.score(docs, gold, records)
    return {f"{kind} {level}": report[kind][level].f1 for kind, level in GOLD_LEVELS}


def search_figure(shared: Path, extractor: Extractor) -> dict[str, float]:
    """Share of the analysts' questions with a gold evidence sentence in the top 5."""
    from dyadwatch.search import recall_at_k

    with tempfile.TemporaryDirectory() as scratch:
        store = Store(str(Path(scratch) / "search.db"))
        ingest(store, [shared / "corpus" / "seeds"], extractor)
        recall = recall_at_k(store, extractor.knowledge, shared / "gold" / "questions.jsonl", k=5)
        store.close()
    return {"search recall@5": round(recall, 3)}


def peer_figures(shared: Path, extractor: Extractor) -> dict[str, float]:
    folder = shared / "peer"
    cameo = peer.cameo_to_plover(folder / "CAMEO2PLOVER-2021.txt")
    with_petrarch_actors = Extractor([str(folder)])
    return {
        "PLOVER GSR": peer.plover_gsr(extractor, folder / "plover_gsr.jsonl").share,
        "PETRARCH2 validation": peer.petrarch2_validation(with_petrarch_actors,
                                                           folder / "petrarch2_validation.jsonl", cameo).share,
    }


def measure(shared: Path, extractor: Extractor | None = None) -> dict[str, float]:
    extractor = extractor or Extractor()
    return {**gold_figures(shared, extractor), **peer_figures(shared, extractor), **search_figure(shared, extractor)}
