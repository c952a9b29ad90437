"""The annotated batch folders of the training data, in the order they were written.

Batches are named by a letter and a number (`t01`, ..., `t112`). Their names cannot be compared as text: `t112`
sorts before `t20`, so "up to t112" would leave out `t20` to `t99`. They are ordered by their number instead.

Kept free of torch so that it can be tested where only dyadwatch's run time is installed.
"""

from __future__ import annotations

import re
from pathlib import Path

NUMBERED = re.compile(r"(\D*)(\d+)$")


def batch_key(name: str) -> tuple[str, int]:
    """Orders batch names by prefix, then number; a name without a trailing number sorts after its numbered peers."""
    match = NUMBERED.match(name)
    return (match.group(1), int(match.group(2))) if match else (name, 1 << 62)


def batch_folders(root: Path, marker: str, last: str | None = None, first: str | None = None) -> list[Path]:
    """The folders under `root` holding `marker` (an annotation file) and a `docs` folder, in batch order, from the
    one named `first` up to and including the one named `last` (from the first or to the last without them)."""
    folders = [p for p in root.iterdir() if (p / marker).is_file() and (p / "docs").is_dir()]
    if last is not None:
        folders = [p for p in folders if batch_key(p.name) <= batch_key(last)]
    if first is not None:
        folders = [p for p in folders if batch_key(p.name) >= batch_key(first)]
    return sorted(folders, key=lambda p: batch_key(p.name))


def development_share(names: set[str]) -> set[str]:
    """One document in eight of a folder: its development split."""
    return set(sorted(names)[3::8])


def dev_documents(folders: list[Path]) -> list[tuple[Path, list[dict]]]:
    """The development documents with their annotations, folder by folder (a name can recur in another
    folder, where it is another document)."""
    from dataset import folder_documents

    return [document for folder in folders
            for document in folder_documents(folder, list(development_share({p.name for p in (folder / "docs").iterdir()
                                                                              })))]


def replay_share(names: set[str], every: int) -> set[str]:
    """One training document in `every` of a folder (never a development one): what a continued run on new batches
    reads again of an older batch."""
    held = development_share(names)
    return set(sorted(names - held)[::every])
