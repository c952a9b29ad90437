"""Training examples for the event coder: documents parsed by dyadwatch's own pipeline, with the
annotated events (data/GUIDE.md) aligned to sentence words and actor candidates.

An example is one sentence: the label of every word (which PLOVER type it names, or none), the
negation of each annotated trigger, and for each annotated event the candidates that may be its
source and its target (every candidate of the annotated country counts; with `domestic_labels`, an act
inside one country tells its two sides apart by their full codes, see `domestic_roles`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from examples import Alignment, Example, Role, TrainingData

from dyadwatch.ingest.readers import read_document
from dyadwatch.model import Extraction
from dyadwatch.nlp.coder.features import candidate_path, pair_features
from dyadwatch.nlp.coder.heads import LABELS
from dyadwatch.nlp.coder.inputs import SentenceInput, document_inputs
from dyadwatch.pipeline import Extractor

LEARNED = ("dyadwatch_events", "dyadwatch_claims")  # not needed to build the inputs


def load_annotations(folder: Path) -> dict[str, list[dict]]:
    by_doc: dict[str, list[dict]] = {}
    for line in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            by_doc.setdefault(record["doc"], []).append(record)
    return by_doc


Document = tuple[Path, list[dict]]  # a document and its annotated events


def folder_documents(folder: Path, names: list[str] | None = None) -> list[Document]:
    """The documents of `folder/docs` called `names` (default: those with annotations), with their events, by name."""
    annotations = load_annotations(folder)
    chosen = annotations if names is None else names
    return [(folder / "docs" / name, annotations.get(name, [])) for name in sorted(chosen)]


def scoring_name(index: int, path: Path) -> str:
    """The name a document is scored under: numbered, so that documents of one name in two batches stay apart."""
    return f"{index:03d}_{path.name}"


def prefix_names(extractor: Extractor) -> dict[str, str]:
    """The names the examples' prefixes give unnamed actors: the running coder's (`LearnedEventCoder.name_table`)."""
    return extractor.nlp.get_pipe("dyadwatch_events").name_table


def names_of(data: TrainingData) -> dict[str, str]:
    """The names `data`'s prefixes were written with; for examples written before they were recorded, the running
    coder's, which wrote them unless its table has changed since."""
    return data.names if data.names is not None else prefix_names(Extractor())


def gold_records(documents: list[Document]) -> list[dict]:
    return [{**event, "doc": scoring_name(i, path)} for i, (path, events) in enumerate(documents) for event in events]


def copy_for_scoring(documents: list[Document], folder: Path) -> None:
    """The documents under their scoring names in `folder`, for `evaluate.GoldCorpus`."""
    for index, (path, _) in enumerate(documents):
        shutil.copy(path, folder / scoring_name(index, path))


def system_records(extractor: Extractor, documents: list[Document]) -> list[dict]:
    """The events `extractor` codes in each document, as records the scorer reads."""
    return records_of(documents, [extractor.extract(read_document(path)) for path, _ in documents])


def records_of(documents: list[Document], extractions: list[Extraction]) -> list[dict]:
    """The events of each document's extraction as records the scorer reads (`target_named`: whether the sentence
    names the target, which the scorer ignores)."""
    records = []
    for index, ((path, _), extraction) in enumerate(zip(documents, extractions, strict=True)):
        for event in extraction.events:
            records.append({"doc": scoring_name(index, path), "start": event.evidence.start,
                            "end": event.evidence.end, "type": event.type, "source": event.source,
                            "target": event.target, "date": event.date, "confidence": event.confidence,
                            "target_named": event.target_span is not None})
    return records


def folder_examples(extractor: Extractor, folder: Path, alignment: Alignment,
                    domestic_labels: bool = False, documents: set[str] | None = None) -> list[Example]:
    """Examples of every document in `folder/docs` (of those named in `documents`, where given), labelled from
    `folder/events.jsonl`."""
    annotations = load_annotations(folder)
    examples = []
    for path in sorted((folder / "docs").iterdir()):
        if documents is not None and path.name not in documents:
            continue
        events = annotations.get(path.name, [])
        examples.extend(document_examples(extractor, path, events, alignment, domestic_labels))
    return examples


def document_examples(extractor: Extractor, path: Path, events: list[dict], alignment: Alignment,
                      domestic_labels: bool = False) -> list[Example]:
    document = read_document(path)
    with extractor.nlp.select_pipes(disable=list(LEARNED)):
        parsed = extractor.parse(document)
        sentences = []
        coder = extractor.nlp.get_pipe("dyadwatch_events")
        pairs = zip(parsed.paragraphs, document_inputs(parsed.docs, coder.vocabulary, coder.names), strict=True)
        for paragraph, (_, inputs) in pairs:
            for item in inputs:
                spans = [parsed.cleaned.to_original(paragraph.start + t.idx, paragraph.start + t.idx + len(t.text))
                         for t in item.sentence]
                sentences.append((item, spans))
    examples = {id(item): _unlabelled(path.name, item) for item, _ in sentences}
    for event in events:
        alignment.events += 1
        placed = _place(document.text, event, sentences)
        if placed is None:
            alignment.trigger_missing += 1
            continue
        item, token = placed
        example = examples[id(item)]
        role = _role(item, token, event, alignment, domestic_labels)
        if example.labels[token] == 0:
            example.labels[token] = role.label
            example.negated[token] = float(bool(event.get("negated")))
        example.roles.append(role)
        alignment.placed += 1
    return list(examples.values())


def _unlabelled(doc: str, item: SentenceInput) -> Example:
    count = len(item.sentence)
    start = item.sentence.start
    return Example(
        doc=doc, text=item.encoder_text, token_spans=item.encoder_spans, prefix_count=len(item.prefix_spans),
        features=item.features, eligible=item.eligible,
        labels=np.zeros(count, dtype=np.int64), negated=np.full(count, -1.0, dtype=np.float32),
        candidate_spans=[(c.start - start, c.end - start) if c.named else (-1, -1) for c in item.candidates],
        candidate_kinds=[c.kind for c in item.candidates], candidate_names=[c.prefix_index for c in item.candidates])


def _place(text: str, event: dict, sentences: list) -> tuple[SentenceInput, int] | None:
    """The sentence and word that carry an annotated event: its trigger inside its quote (the quote's
    first occurrence, as the scorer finds it), else the head word of the quote."""
    quote = event.get("quote") or ""
    at = text.find(quote)
    if not quote or at < 0:
        return None
    trigger = event.get("trigger") or ""
    offset = quote.find(trigger) if trigger else -1
    start, end = (at + offset, at + offset + len(trigger)) if offset >= 0 else (at, at + len(quote))
    for item, spans in sentences:
        inside = [k for k, (s, e) in enumerate(spans) if s < end and start < e and item.eligible[k]]
        if inside:
            tokens = [item.sentence[k] for k in inside]
            heads = [t for t in tokens if t.head.i == t.i or t.head not in tokens]
            return item, heads[0].i - item.sentence.start
    return None


def _role(item: SentenceInput, token: int, event: dict, alignment: Alignment, domestic_labels: bool) -> Role:
    candidates = item.candidates
    trigger = item.sentence[token]

    def matching(code: str | None) -> list[int]:
        country = (code or "").split("-")[0]
        return [k for k, c in enumerate(candidates) if c.country == country]

    sources = matching(event.get("source"))
    if not sources:
        alignment.source_missing += 1
        alignment.missing_sources[str(event.get("source"))] += 1
    if event.get("target"):
        targets = matching(event.get("target"))
        if not targets:
            alignment.target_missing += 1
        elif domestic_labels and targets == sources:
            codes = [c.code for c in candidates]
            sources, targets = domestic_roles(codes, sources, event["source"], event["target"])
            alignment.domestic_told_apart += sources != targets
    else:
        targets = [len(candidates)]
    features = np.stack([pair_features(trigger, c, candidates) for c in candidates]) if candidates else \
        np.zeros((0, 0), dtype=np.float32)
    return Role(token, LABELS.index(event["type"]), sources, targets, features,
                [candidate_path(trigger, c) for c in candidates])


def domestic_roles(codes: list[str], members: list[int], source: str, target: str) -> tuple[list[int], list[int]]:
    """The source and target candidates of an act inside one country, whose candidates (`members`, indices into
    `codes`) all match both sides by country: the source is the candidates with the source's full code (or,
    where none has it, those without the target's), the target every other candidate of the country. The
    decoder names a domestic target only by a candidate whose code differs from the source's, so the two
    sides stay undivided (both `members`) where the codes are the same or no other candidate is left."""
    if source == target:
        return members, members
    sources = [k for k in members if codes[k] == source] or [k for k in members if codes[k] != target]
    source_codes = {codes[k] for k in sources}
    targets = [k for k in members if codes[k] not in source_codes]
    return (sources, targets) if sources and targets else (members, members)
