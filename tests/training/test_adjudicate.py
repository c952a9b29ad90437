"""training/adjudicate.py: the held-out gold as the majority of independent annotators."""

import json
import sys
from pathlib import Path

from dyadwatch import evaluate
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "training"))
from adjudicate import adjudicate, majority

TEXT = ("Ankara recalled its envoy and closed the border. Athens protested. Trade will fall by 5% next year, "
        "and Athens should talk to Ankara.")


def event(quote: str, kind: str, date: str | None = None) -> dict:
    return {"doc": "memo.txt", "quote": quote, "type": kind, "source": "TUR", "target": "GRC", "date": date,
            "domain": "politics", "negated": False}


def corpus(tmp_path: Path) -> evaluate.GoldCorpus:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "memo.txt").write_text(TEXT, encoding="utf-8")
    return evaluate.GoldCorpus(tmp_path / "docs")


def test_two_acts_of_one_type_and_pair_in_a_sentence_stay_two_when_a_majority_has_both(tmp_path: Path):
    both = [event("recalled its envoy", "SANCTION", "2024"), event("closed the border", "SANCTION", "2024")]
    one = [event("closed the border", "SANCTION", "2023")]
    gold = majority(corpus(tmp_path), [both, both, one])
    assert [g["quote"] for g in gold] == ["recalled its envoy", "closed the border"]
    gold = majority(corpus(tmp_path), [both, one, one])
    assert [(g["quote"], g["date"]) for g in gold] == [("recalled its envoy", "2023")]  # one act, dated as two say


def test_a_record_only_one_annotator_has_is_not_gold(tmp_path: Path):
    protest = {**event("Athens protested", "PROTEST"), "source": "GRC", "target": "TUR"}
    gold = majority(corpus(tmp_path), [[protest], [], []])
    assert gold == []


def test_figures_and_claims_get_their_gold_and_agreement_beside_the_events(tmp_path: Path):
    corpus(tmp_path)
    figure = {"doc": "memo.txt", "quote": "by 5%", "value": 5, "unit": "percent", "measure": "trade", "date": "2025"}
    forecast = {"doc": "memo.txt", "quote": "Trade will fall", "kind": "forecast", "holder": "author",
                "horizon": "2025"}
    advice = {"doc": "memo.txt", "quote": "Athens should talk to Ankara", "kind": "recommendation",
              "holder": "author", "horizon": None}
    for name, figures, claims in (("d", [figure], [forecast, advice]), ("e", [figure], [forecast]),
                                  ("f", [], [forecast, advice])):
        folder = tmp_path / f"annotator_{name}"
        folder.mkdir()
        (folder / "quantities.jsonl").write_text("".join(json.dumps(r) + "\n" for r in figures), encoding="utf-8")
        (folder / "claims.jsonl").write_text("".join(json.dumps(r) + "\n" for r in claims), encoding="utf-8")
    assert adjudicate(tmp_path, "events") == {}  # nobody labelled events here
    report = adjudicate(tmp_path, "claims")
    claims = evaluate.load_jsonl(tmp_path / "gold" / "claims.jsonl")
    assert [c["kind"] for c in claims] == ["forecast", "recommendation"]
    assert report["annotator_d vs annotator_e"]["kind"]["f1"] == round(2 * 1 * 0.5 / 1.5, 3)
    adjudicate(tmp_path, "quantities")
    assert [q["value"] for q in evaluate.load_jsonl(tmp_path / "gold" / "quantities.jsonl")] == [5]
