"""tools/check_annotations.py: what annotators run on their files before handing them in."""

import json
import subprocess
import sys
from pathlib import Path

CHECKER = Path(__file__).resolve().parents[1] / "tools" / "check_annotations.py"
TEXT = "Lisbon opened a EUR 40 million credit line in 2019. Observers expect it to grow, and Luanda should use it."


def run(folder: Path, **files: list[dict]) -> subprocess.CompletedProcess:
    arguments = []
    for kind, records in files.items():
        path = folder / f"{kind}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        arguments += [f"--{kind}", str(path)]
    return subprocess.run([sys.executable, str(CHECKER), str(folder), *arguments], capture_output=True, text=True)


def folder_with_a_document(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "memo.txt").write_text(TEXT, encoding="utf-8")
    return tmp_path


def test_well_formed_figures_and_claims_pass_without_an_events_file(tmp_path: Path):
    folder = folder_with_a_document(tmp_path)
    figure = {"doc": "memo.txt", "quote": "a EUR 40 million credit line", "value": 40000000, "unit": "EUR",
              "measure": "credit line", "date": "2019"}
    claims = [{"doc": "memo.txt", "quote": "Observers expect it to grow", "kind": "forecast", "holder": "author",
               "horizon": None},
              {"doc": "memo.txt", "quote": "Luanda should use it", "kind": "recommendation", "holder": "PRT-GOV",
               "horizon": None}]
    result = run(folder, quantities=[figure], claims=claims)
    assert result.returncode == 0, result.stdout
    assert "1 quantities in 1 documents; 0 problems" in result.stdout
    assert "forecast:1  recommendation:1" in result.stdout


def test_each_problem_is_one_line_naming_the_file_and_line(tmp_path: Path):
    folder = folder_with_a_document(tmp_path)
    figures = [{"doc": "memo.txt", "quote": "a EUR 40 million credit line", "value": "40 million", "unit": "EUR",
                "measure": "credit line", "date": "2019"},
               {"doc": "memo.txt", "quote": "a credit line of 40", "value": 40, "unit": "furlongs",
                "measure": "credit line", "date": "spring"}]
    claims = [{"doc": "memo.txt", "quote": "Luanda should use it", "kind": "advice", "holder": "Luanda",
               "horizon": None}]
    result = run(folder, quantities=figures, claims=claims)
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if ".jsonl:" in line]
    assert [line.split(": ", 1)[1].split(" (")[0] for line in problems] == [
        "value '40 million' is not a number", "quote is not an exact substring of the document",
        "unknown unit 'furlongs'", "date 'spring' is not YYYY, YYYY-MM or YYYY-MM-DD",
        "kind 'advice' is neither forecast nor recommendation",
        "holder 'Luanda' is neither author nor a code such as ARM, ARM-GOV, IGO"]
    assert problems[0].startswith(f"{folder / 'quantities.jsonl'}:1:")
    assert problems[-1].startswith(f"{folder / 'claims.jsonl'}:1:")
