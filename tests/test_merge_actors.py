"""tools/merge_actors.py: how helper-written actor files become a knowledge file without names that mislead."""

import subprocess
import sys
from pathlib import Path

import yaml

from dyadwatch.knowledge import load_knowledge

MERGER = Path(__file__).resolve().parents[1] / "tools" / "merge_actors.py"


def person(code: str, name: str, *aliases: str) -> dict:
    return {"code": code, "kind": "person", "name": name, "aliases": list(aliases),
            "roles": [{"title": "Prime Minister", "start": "2001-05-02", "end": None}]}


def merged(tmp_path: Path, entries: list[dict], *options: str) -> subprocess.CompletedProcess:
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    command = [sys.executable, str(MERGER), str(tmp_path / "new.yaml"), "--out", str(tmp_path / "out.yaml"), *options]
    return subprocess.run(command, capture_output=True, text=True)


def test_names_that_name_another_actor_or_two_new_ones_are_dropped_and_listed(tmp_path):
    taken = load_knowledge(()).actors[0]
    result = merged(tmp_path, [person("FJI-GOV", "Vilisoni Tamanikaira", taken.name, "Tamanikaira", "Rauvola"),
                               person("TON-GOV", "Sione Rauvola Fekau", "Rauvola")])
    assert result.returncode == 0, result.stderr
    written = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))
    assert [entry["aliases"] for entry in written] == [["Tamanikaira"], []]
    assert f"'{taken.name}' already names" in result.stderr
    assert "'Rauvola' given to ['FJI-GOV', 'TON-GOV']" in result.stderr


def test_a_one_word_alias_the_training_documents_write_in_lower_case_is_dropped(tmp_path):
    result = merged(tmp_path, [person("NRU-GOV", "Ludwig Government", "Government")])
    written = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))
    assert written[0]["aliases"] == []
    assert "'Government' an ordinary word" in result.stderr


def test_an_entry_outside_the_format_stops_the_merge_naming_its_file_and_place(tmp_path):
    bad = person("FJI-GOV", "Vilisoni Tamanikaira")
    bad["roles"][0]["start"] = "May 2001"
    result = merged(tmp_path, [person("TON-GOV", "Sione Fekau"), bad])
    assert result.returncode == 2
    assert "new.yaml entry 1: start 'May 2001' is no ISO date" in result.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_a_name_a_reviewer_judged_unsafe_is_dropped_with_the_reason(tmp_path):
    (tmp_path / "review.jsonl").write_text(
        '{"name": "Vilisoni Tamanikaira", "unsafe": "VT", "why": "an acronym with other meanings"}\n', encoding="utf-8")
    result = merged(tmp_path, [person("FJI-GOV", "Vilisoni Tamanikaira", "VT", "Tamanikaira")],
                    "--unsafe", str(tmp_path / "review.jsonl"))
    assert result.returncode == 0, result.stderr
    written = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))
    assert written[0]["aliases"] == ["Tamanikaira"]
    assert "'VT' judged unsafe: an acronym with other meanings" in result.stderr


def test_places_are_entries_of_their_country_without_roles(tmp_path):
    place = {"code": "FJI", "kind": "region", "name": "Vanua Levu", "aliases": []}
    result = merged(tmp_path, [place])
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8")) == [place]


def test_a_review_line_that_is_no_verdict_stops_the_merge_naming_its_file_and_line(tmp_path):
    (tmp_path / "review.jsonl").write_text('{"name": "Sione Fekau", "unsafe": "Fekau"}\n{"why": "x"}\n',
                                           encoding="utf-8")
    result = merged(tmp_path, [person("TON-GOV", "Sione Fekau", "Fekau")], "--unsafe", str(tmp_path / "review.jsonl"))
    assert result.returncode == 2
    assert "review.jsonl line 2: not a verdict with name and unsafe" in result.stderr
