"""The held-out summaries `make eval` prints, on two small sets built by hand."""

import json
from pathlib import Path

from dyadwatch.evaluate import LevelScore, calibration_error
from dyadwatch.quality import set_summaries


def _event(text: str, quote: str, type_: str, confidence: float | None = None) -> dict:
    start = text.index(quote)
    event = {"doc": "a.txt", "quote": quote, "start": start, "end": start + len(quote), "type": type_,
             "source": "ARM", "target": "AZE", "date": None}
    return event if confidence is None else {**event, "confidence": confidence}


def _held_out_set(folder: Path, text: str, gold: list[dict]) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "gold").mkdir()
    (folder / "docs" / "a.txt").write_text(text, encoding="utf-8")
    (folder / "gold" / "events.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    return folder


def test_each_set_is_summarised_then_all_as_one_with_their_counts_summed(tmp_path):
    first_text = "Armenia met Azerbaijan. Armenia accused Azerbaijan."
    second_text = "Armenia thanked Azerbaijan."
    first = _held_out_set(tmp_path / "first", first_text,
                          [_event(first_text, "met", "CONSULT"), _event(first_text, "accused", "ACCUSE")])
    second = _held_out_set(tmp_path / "second", second_text, [_event(second_text, "thanked", "SUPPORT")])
    first_events = [_event(first_text, "met", "CONSULT", 0.9), _event(first_text, "accused", "ACCUSE", 0.1)]
    second_events = [_event(second_text, "thanked", "REJECT", 0.8)]
    sets = {"first": (first, {"events": first_events}), "second": (second, {"events": second_events})}

    one, two, both = set_summaries(sets, 0.2, "both")

    assert [s.name for s in (one, two, both)] == ["first", "second", "both"]
    assert one.every_event["type+actors"] == LevelScore(gold=2, system=2, matched=2)
    assert one.at_minimum == LevelScore(gold=2, system=1, matched=1)  # the unsure right event is left out
    assert two.every_event["type"] == LevelScore(gold=1, system=1, matched=0)
    assert two.every_event["found"] == LevelScore(gold=1, system=1, matched=1)
    assert both.every_event["type+actors"] == LevelScore(gold=3, system=3, matched=2)
    assert both.at_minimum == LevelScore(gold=3, system=2, matched=1)
    assert one.calibration_error == calibration_error([0.9, 0.1], [True, True])
    assert both.calibration_error == calibration_error([0.9, 0.1, 0.8], [True, True, False])
