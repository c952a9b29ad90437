"""All accuracy figures in one place: the gold levels (score.py's rules), search, and the peer suites."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from dyadwatch import evaluate, export, peer
from dyadwatch.ingest.service import ingest
from dyadwatch.knowledge.cameo import read_cameo_table
from dyadwatch.pipeline import Extractor
from dyadwatch.search import recall_at_k
from dyadwatch.store.database import Store

GOLD_LEVELS = (("events", "found"), ("events", "type"), ("events", "type+actors"), ("events", "type+actors+date"),
               ("quantities", "value+unit"), ("claims", "kind"))


def gold_figures(shared: Path, store: Store) -> dict[str, float]:
    """F1 per level on the sample corpus, from the store's export, as ingest + export + score.py give."""
    report = evaluate.score(shared / "corpus" / "seeds", shared / "gold", export.gold_records(store))
    return {f"{kind} {level}": report[kind][level].f1 for kind, level in GOLD_LEVELS}


def search_figure(shared: Path, store: Store, extractor: Extractor) -> dict[str, float]:
    """Share of the analysts' questions with a gold evidence sentence in the top 5."""
    recall = recall_at_k(store, extractor.knowledge, shared / "gold" / "questions.jsonl", k=5)
    return {"search recall@5": round(recall, 3)}


def peer_figures(shared: Path, extractor: Extractor) -> dict[str, float]:
    """The peer suites. PETRARCH2 is run as PETRARCH runs it, with its folder's actor and verb dictionaries and
    CAMEO->PLOVER table loaded, and again with its actors only, to show what dyadwatch's own vocabulary reaches."""
    folder = shared / "peer"
    cameo = read_cameo_table(folder / "CAMEO2PLOVER-2021.txt")
    records = folder / "petrarch2_validation.jsonl"
    with tempfile.TemporaryDirectory() as actors_only:
        shutil.copy(folder / "PETR.Validate.actors.txt", actors_only)
        own_vocabulary = peer.petrarch2_validation(Extractor([actors_only]), records, cameo).share
    return {
        "PLOVER GSR": peer.plover_gsr(extractor, folder / "plover_gsr.jsonl").share,
        "PETRARCH2 validation": peer.petrarch2_validation(Extractor([str(folder)]), records, cameo).share,
        "PETRARCH2, own vocabulary": own_vocabulary,
    }


def measure(shared: Path, extractor: Extractor | None = None) -> dict[str, float]:
    """Every figure; the sample corpus is ingested once into a scratch database for the gold and search ones."""
    extractor = extractor or Extractor()
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(str(Path(scratch) / "samples.db"))
        ingest(store, [shared / "corpus" / "seeds"], extractor)
        figures = {**gold_figures(shared, store), **search_figure(shared, store, extractor)}
        store.close()
    return {**figures, **peer_figures(shared, extractor)}
