"""How often the dating rules give an annotated event its annotated date, the event coder aside.

    python training/date_check.py [--data data/train] [--show 20]

Each annotated event of the training data is placed on its trigger word (as for training); the
dater (`nlp/event_dates.py`) dates that word, and the date is compared with the annotation as the
reference scorer compares them (a date agrees when it starts with the annotated one; an undated
annotation needs no date). The dating rules are hand rules: this is where they are measured on
thousands of events instead of the three sample reports, and the held-out set stays untouched.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import LEARNED, _place, load_annotations  # noqa: E402

from dyadwatch.evaluate import date_agrees  # noqa: E402
from dyadwatch.ingest.readers import read_document  # noqa: E402
from dyadwatch.nlp.coder.component import clause_of  # noqa: E402
from dyadwatch.nlp.coder.inputs import document_inputs  # noqa: E402
from dyadwatch.nlp.context import context_of, found_in  # noqa: E402
from dyadwatch.pipeline import Extractor  # noqa: E402


def outcome(gold: str | None, given: str | None) -> str:
    if date_agrees(gold, given):
        return "right"
    if given is None:
        return "undated, annotated"
    if gold is None:
        return "dated, not annotated"
    return "coarser" if gold.startswith(given) else "another date"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parent / "data" / "train")
    parser.add_argument("--show", type=int, default=0, help="print this many misses of each kind")
    args = parser.parse_args()
    extractor = Extractor()
    coder = extractor.nlp.get_pipe("dyadwatch_events")
    tally: Counter[str] = Counter()
    shown: Counter[str] = Counter()
    for folder in sorted(p for p in args.data.iterdir() if (p / "events.jsonl").is_file()):
        annotations = load_annotations(folder)
        for path in sorted((folder / "docs").iterdir()):
            document = read_document(path)
            with extractor.nlp.select_pipes(disable=list(LEARNED)):
                parsed = extractor.parse(document)
                sentences = []
                for paragraph, (doc, inputs) in zip(parsed.paragraphs, document_inputs(
                        parsed.docs, coder.vocabulary, coder.names), strict=True):
                    for item in inputs:
                        spans = [parsed.cleaned.to_original(paragraph.start + t.idx,
                                                            paragraph.start + t.idx + len(t.text))
                                 for t in item.sentence]
                        sentences.append((item, spans, doc))
            docs = {id(item): doc for item, _, doc in sentences}
            for event in annotations.get(path.name, []):
                placed = _place(document.text, event, [(item, spans) for item, spans, _ in sentences])
                if placed is None:
                    continue
                item, index = placed
                doc = docs[id(item)]
                token = item.sentence[index]
                given, _, _ = coder.dater.date(token, clause_of(token, item.sentence), item.sentence,
                                               found_in(doc).time_expressions, context_of(doc))
                kind = outcome(event.get("date"), given)
                tally[kind] += 1
                if kind != "right" and shown[kind] < args.show:
                    shown[kind] += 1
                    print(f"{kind:22} doc {document.date} gold {event.get('date')} given {given} | "
                          f"{event['quote'][:100]}")
    total = sum(tally.values())
    print(f"{total} events: " + ", ".join(f"{k} {v} ({v / total:.1%})" for k, v in tally.most_common()))


if __name__ == "__main__":
    main()
