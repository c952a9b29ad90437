"""The pair ranker: the pairs of countries a trigger's candidates offer, the facts read of each, and how a fitted
ranker's weights change the decoder's choice from the product of the two probabilities."""

import json
from pathlib import Path

import numpy as np

from dyadwatch.nlp.coder.candidates import Candidate
from dyadwatch.nlp.coder.heads import RoleReading
from dyadwatch.nlp.coder.pairs import PAIRS_FILE, PRODUCT, PairRanker, pair_facts, pair_options

PERU = Candidate("PER", "state", 0, 1, dyad_rank=1)
PERU_GOV = Candidate("PER-GOV", "title", 3, 5, dyad_rank=1)
CHILE = Candidate("CHL", "unnamed_dyad", dyad_rank=2)
ROLES = RoleReading(source=np.array([0.3, 0.3, 0.4]), target=np.array([0.1, 0.45, 0.35, 0.1]))


def test_every_source_country_meets_every_target_country_or_none_but_never_itself():
    pairs = {(o.source.code, o.target.code if o.target else None) for o in pair_options([PERU, PERU_GOV, CHILE], ROLES)}
    # Peru's likeliest source is its first candidate; its likeliest target, Peru's government, is another actor
    assert pairs == {("PER", None), ("PER", "PER-GOV"), ("PER", "CHL"), ("CHL", None), ("CHL", "PER-GOV")}


def test_a_countrys_candidates_add_up():
    option = next(o for o in pair_options([PERU, PERU_GOV, CHILE], ROLES) if o.target is CHILE)
    assert round(option.p_source, 2) == 0.6 and round(option.p_target, 2) == 0.35


def test_the_facts_say_how_the_two_stand_to_each_other():
    one_country = next(o for o in pair_options([PERU, PERU_GOV, CHILE], ROLES) if o.target is PERU_GOV)
    facts = pair_facts(one_country)
    assert facts["one country"] == 1.0 and facts["dyad ranks 11"] == 1.0 and "no target" not in facts
    alone = next(o for o in pair_options([PERU, PERU_GOV, CHILE], ROLES) if o.target is None)
    assert pair_facts(alone)["no target"] == 1.0 and "one country" not in pair_facts(alone)


def test_the_product_rule_takes_the_likeliest_pair_and_a_ranker_can_overrule_it():
    options = pair_options([PERU, PERU_GOV, CHILE], ROLES)
    best = PRODUCT.best(options)
    assert (best.source, best.target) == (PERU, PERU_GOV)  # 0.6 x 0.55 beats 0.4 x 0.55 and 0.6 x 0.35
    best = PairRanker({**PRODUCT.weights, "one country": -1.0}).best(options)
    assert (best.source, best.target) == (CHILE, PERU_GOV)


def test_a_coder_folder_without_pairs_json_has_no_ranker(tmp_path: Path):
    assert PairRanker.load(tmp_path) is None
    (tmp_path / PAIRS_FILE).write_text(json.dumps({"weights": {"no target": 2.0}}), encoding="utf-8")
    assert PairRanker.load(tmp_path).weights == {"no target": 2.0}
