"""The figures a candidate event coder is compared on before the held-out set is looked at: the sample reports
(development data), the PLOVER GSR and the PETRARCH2 validation records.

    PYTHONPATH=TREE/src .venv/bin/python training/development_figures.py [--shared ../shared] [--coder fast]

TREE is a checkout (a `git worktree`) whose src/dyadwatch/models/event_coder (or event_coder_fast, with --coder fast)
holds the candidate, written there by `train_event_coder.py --out` or `average_models.py --out`: several candidates
can then be measured side by side, and the held-out set (`make eval`) is left for the one chosen.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from dyadwatch.ingest.service import ingest
from dyadwatch.nlp.coder.model import coder_folder
from dyadwatch.pipeline import Extractor
from dyadwatch.quality import gold_figures, peer_figures
from dyadwatch.store.database import Store


def development_figures(shared: Path, coder: str) -> dict[str, float]:
    extractor = Extractor(coder=coder)
    with tempfile.TemporaryDirectory() as scratch:
        store = Store(str(Path(scratch) / "samples.db"))
        ingest(store, [shared / "corpus" / "seeds"], extractor)
        figures = gold_figures(shared, store)
        store.close()
    return {**figures, **peer_figures(shared, extractor)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--coder", default="accurate", help="which of the tree's coders (accurate, fast)")
    args = parser.parse_args()
    figures = development_figures(args.shared, args.coder)
    print(json.dumps({"coder": str(coder_folder(args.coder)), **figures}, indent=1))


if __name__ == "__main__":
    main()
