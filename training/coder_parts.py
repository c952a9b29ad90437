"""What the scripts that add a learned part to a coder folder (the domestic reader, the verifier) share: a pipeline
whose decoder records what the part would read, the annotated documents of a range of batches, and how a part's
weights and `meta.json` entry are written in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from batches import batch_folders
from dataset import Document, folder_documents

from dyadwatch.nlp.coder.model import EventDecoder
from dyadwatch.pipeline import Extractor

Recorder = TypeVar("Recorder", bound=EventDecoder)


def recording_pipeline(coder: str, recorder: type[Recorder]) -> tuple[Extractor, Recorder]:
    """The pipeline of `coder` with its event decoder turned into `recorder`, a subclass that notes what it reads.
    The loaded model is built by the pipeline and shared within the process (`load_model`), so its decoder is
    turned into the recorder in place rather than replaced; a script that calls this loads no other pipeline."""
    extractor = Extractor(coder=coder)
    decoder = extractor.nlp.get_pipe("dyadwatch_events").event_model.decoder
    decoder.__class__ = recorder
    return extractor, decoder


def batch_documents(root: Path, batches: tuple[str, str]) -> list[Document]:
    """The documents and annotated events of the batches `batches[0]`-`batches[1]` under `root`."""
    return [d for folder in batch_folders(root, "events.jsonl", batches[1], batches[0])
            for d in folder_documents(folder)]


def write_part(folder: Path, file_name: str, weights: dict[str, float], meta_key: str, summary: dict) -> None:
    """A part's weights as `folder/file_name` and what its training chose under `meta_key` in the folder's
    `meta.json`, which is how the decoder finds it."""
    (folder / file_name).write_text(json.dumps(weights, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta[meta_key] = summary
    (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
