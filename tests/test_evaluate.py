"""Our scorer must give the same numbers as the reference scorer on the same input."""

import json
import subprocess
import sys

from dyadwatch import export
from dyadwatch.evaluate import LevelScore, max_matching, score
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
