"""Our scorer must give the same numbers as the reference scorer on the same input."""

import json
import subprocess
import sys

from dyadwatch import export
from dyadwatch.evaluate import (
    GoldCorpus,
    LevelScore,
    dated_share,
    document_interval,
    max_matching,
    paired_difference,
    score,
)
from tests.conftest import GOLD, SEEDS


def test_maximum_matching_is_one_to_one():
    assert max_matching([[0, 1], [0], [1]]) == 2
    assert LevelScore(gold=4, system=2, matched=2).f1 == 0.667


def test_scores_agree_with_the_reference_scorer(seeds_store, tmp_path):
    records = export.gold_records(seeds_store)
    export.export(seeds_store, "jsonl", tmp_path)
    reference = subprocess.run(
        [sys.executable, str(GOLD / "score.py"), "--docs", str(SEEDS), "--gold", str(GOLD),
         "--system", str(tmp_path), "--json"], capture_output=True, text=True, check=True)
    theirs = json.loads(reference.stdout)
    ours = score(SEEDS, GOLD, records)
    assert {k: {lv: s.as_dict() for lv, s in v.items()} for k, v in ours.items()} == theirs


def _corpus(tmp_path, texts):
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return GoldCorpus(tmp_path)


def _event(doc, text, quote, type_="CONSULT"):
    start = text.index(quote)
    return {"doc": doc, "quote": quote, "start": start, "end": start + len(quote), "type": type_,
            "source": "ARM", "target": "AZE", "date": None}


def test_the_document_interval_spans_what_the_documents_disagree_on(tmp_path):
    texts = {"a.txt": "Armenia met Azerbaijan.", "b.txt": "Armenia met Azerbaijan again."}
    corpus = _corpus(tmp_path, texts)
    gold = [_event(name, text, "met") for name, text in texts.items()]
    right, wrong = _event("a.txt", texts["a.txt"], "met"), _event("b.txt", texts["b.txt"], "met", "ACCUSE")
    assert document_interval(corpus, gold, [right, {**right, "doc": "b.txt"}], "events", "type") == (1.0, 1.0)
    low, high = document_interval(corpus, gold, [right, wrong], "events", "type")
    assert low == 0.0 and high == 1.0  # a resample may hold only the right document, or only the wrong one
    assert document_interval(corpus, gold, [right, wrong], "events", "found") == (1.0, 1.0)


def test_the_paired_difference_counts_only_the_documents_where_the_two_coders_differ(tmp_path):
    texts = {f"{name}.txt": f"Armenia met Azerbaijan in {name}." for name in ("a", "b", "c", "d")}
    corpus = _corpus(tmp_path, texts)
    gold = [_event(name, text, "met") for name, text in texts.items()]
    right = {name: _event(name, text, "met") for name, text in texts.items()}
    wrong = {name: _event(name, text, "met", "ACCUSE") for name, text in texts.items()}
    first = [right["a.txt"], right["b.txt"], wrong["c.txt"], wrong["d.txt"]]
    second = [right["a.txt"], right["b.txt"], right["c.txt"], wrong["d.txt"]]
    assert paired_difference(corpus, gold, first, first, "events", "type") == (0.0, 0.0, 0.0)
    difference, low, high = paired_difference(corpus, gold, first, second, "events", "type")
    assert difference == 0.25
    assert low == 0.0 < high  # never worse on any draw; no better on a draw without c.txt
    assert paired_difference(corpus, gold, second, first, "events", "type") == (-0.25, -high, -low)


def test_the_dated_share_counts_the_right_figures_whose_date_agrees(tmp_path):
    texts = {"a.txt": "Trade reached USD 5 billion in 2020. Debt rose to USD 2 billion. Aid was USD 1 billion."}
    corpus = _corpus(tmp_path, texts)

    def figure(quote, value, date):
        start = texts["a.txt"].index(quote)
        return {"doc": "a.txt", "start": start, "end": start + len(quote), "value": value, "unit": "USD", "date": date}

    gold = [figure("USD 5 billion", 5e9, "2020"), figure("USD 2 billion", 2e9, "2021"),
            figure("USD 1 billion", 1e9, None)]
    system = [figure("USD 5 billion", 5e9, "2020-03"), figure("USD 2 billion", 2e9, "2020"),
              figure("USD 1 billion", 2e9, None)]  # the last has the wrong value: not counted at all
    assert dated_share(corpus, gold, system) == 0.5
    assert dated_share(corpus, gold, []) == 0.0
