"""training/batches.py: which batch folders a training run reads, and in what order."""

import sys
from pathlib import Path

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "training"))

from batches import batch_folders, batch_key, development_share, replay_share


def make_batches(root: Path, names: list[str], marker: str = "events.jsonl") -> None:
    for name in names:
        (root / name / "docs").mkdir(parents=True)
        (root / name / marker).write_text("")


def test_three_digit_batches_order_after_two_digit_ones():
    assert sorted(["t112", "t20", "t09", "t100"], key=batch_key) == ["t09", "t20", "t100", "t112"]


def test_last_batch_with_more_digits_keeps_every_earlier_batch(tmp_path):
    make_batches(tmp_path, ["t01", "t20", "t99", "t100", "t112", "t113"])
    names = [p.name for p in batch_folders(tmp_path, "events.jsonl", last="t112")]
    assert names == ["t01", "t20", "t99", "t100", "t112"]


def test_last_batch_with_fewer_digits_leaves_out_later_batches(tmp_path):
    make_batches(tmp_path, ["t08", "t20", "t21", "t100"])
    assert [p.name for p in batch_folders(tmp_path, "events.jsonl", last="t20")] == ["t08", "t20"]


def test_folders_without_the_annotation_file_or_documents_are_not_batches(tmp_path):
    make_batches(tmp_path, ["t01"])
    make_batches(tmp_path, ["t02"], marker="claims.jsonl")
    (tmp_path / "t03").mkdir()
    (tmp_path / "t03" / "events.jsonl").write_text("")
    assert [p.name for p in batch_folders(tmp_path, "events.jsonl")] == ["t01"]
    assert [p.name for p in batch_folders(tmp_path, "claims.jsonl")] == ["t02"]


def test_the_development_split_is_one_document_in_eight_whatever_the_order_given():
    names = {f"doc{i:02d}.txt" for i in range(20)}
    assert development_share(names) == {"doc03.txt", "doc11.txt", "doc19.txt"}


def test_a_replayed_share_takes_one_training_document_in_every_few_and_no_development_one():
    names = {f"doc{i:02d}.txt" for i in range(20)}
    replayed = replay_share(names, 4)
    assert not replayed & development_share(names)
    assert replayed == {"doc00.txt", "doc05.txt", "doc09.txt", "doc14.txt", "doc18.txt"}
