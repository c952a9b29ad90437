"""The same documents written in other forms should give the same events: a metamorphic check of reading.

    .venv/bin/python benchmarks/input_forms.py [--first t143 --last t144]

Each development document (training batches the coder's first epochs never read) is extracted as written and in
each form below; the script prints, per form, how many events the documents give as written, how many in that
form, and how many of those agree (type and the countries of source and target). A form that loses or changes
events is something users' own files do that the reader or the coder does not yet take in its stride.
"""

from __future__ import annotations

import argparse
import html
import itertools
import re
import sys
import tempfile
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

from batches import batch_folders  # noqa: E402

from dyadwatch.ingest.readers import read_document  # noqa: E402
from dyadwatch.model import Event  # noqa: E402
from dyadwatch.pipeline import Extractor  # noqa: E402

BETWEEN_SENTENCES = re.compile(r"(?<=[a-z])\.(?= [A-Z])")
LONG_WORD = re.compile(r"\b([A-Za-z]{5})([a-z]{4,})")


def wrapped(text: str) -> str:
    """Every line broken at 76 characters, as a mail client writes it (table rows left alone)."""
    return "\n".join(line if len(line) <= 76 or line.lstrip().startswith("|") else textwrap.fill(line, 76)
                     for line in text.split("\n"))


def noted(mark: Callable[[int], str]) -> Callable[[str], str]:
    """A footnote's mark after each sentence but the last of a paragraph."""
    def form(text: str) -> str:
        count = itertools.count(1)
        return BETWEEN_SENTENCES.sub(lambda _: "." + mark(next(count)), text)
    return form


def curly(text: str) -> str:
    text = re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)
    text = re.sub(r'"(?=\w)', "\u201c", text)
    return text.replace('"', "\u201d")


def as_html(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    body = "".join(f"<h1>{html.escape(p)}</h1>" if i == 0 else f"<p>{html.escape(p)}</p>\n"
                   for i, p in enumerate(paragraphs))
    return (f"<html><body><nav><a href='/'>Home</a> | <a href='/about'>About</a></nav><article>{body}</article>"
            "<footer>Copyright</footer></body></html>")


FORMS: dict[str, tuple[str, Callable[[str], str]]] = {
    "lines wrapped at 76 characters": (".txt", wrapped),
    "Windows line ends": (".txt", lambda t: t.replace("\n", "\r\n")),
    "paragraphs apart by one line end": (".txt", lambda t: re.sub(r"\n\s*\n", "\n", t)),
    "footnote marks [n]": (".txt", noted(lambda n: f"[{n}]")),
    "footnote numbers glued to the full stop": (".txt", noted(str)),
    "curly quotes and apostrophes": (".txt", curly),
    "soft hyphens in long words": (".txt", lambda t: LONG_WORD.sub(lambda m: f"{m[1]}\u00ad{m[2]}", t)),
    "two spaces after a sentence": (".txt", lambda t: BETWEEN_SENTENCES.sub(". ", t)),
    "an HTML page": (".html", as_html),
}


def agreeing(event: Event) -> tuple[str, str, str]:
    return event.type, (event.source or "").split("-")[0], (event.target or "").split("-")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--first", default="t143")
    parser.add_argument("--last", default="t144")
    args = parser.parse_args()
    folders = batch_folders(ROOT / "data" / "train", "events.jsonl", args.last, args.first)
    paths = [p for folder in folders for p in sorted((folder / "docs").iterdir())]
    extractor = Extractor()
    as_written = {p: Counter(map(agreeing, extractor.extract(read_document(p)).events)) for p in paths}
    total = sum(sum(c.values()) for c in as_written.values())
    print(f"{len(paths)} documents ({args.first}-{args.last}), {total} events as written")
    print(f"{'form':42} {'events':>7} {'alike':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for name, (suffix, form) in FORMS.items():
            events = alike = 0
            for path in paths:
                copy = Path(folder) / (path.stem + suffix)
                copy.write_text(form(path.read_text(encoding="utf-8")), encoding="utf-8")
                found = Counter(map(agreeing, extractor.extract(read_document(copy)).events))
                events += sum(found.values())
                alike += sum((found & as_written[path]).values())
            print(f"{name:42} {events:7d} {alike:7d}")


if __name__ == "__main__":
    main()
