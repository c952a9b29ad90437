"""Prints the extraction time of pathological input shapes at doubling sizes: time per KB that stays flat
as the size doubles means linear time (issue 12: a 48 KB paragraph took 7 s, 20,000 '[' hung the tokenizer).

    .venv/bin/python benchmarks/input_shapes.py [--scale 2]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from dyadwatch.model import Document
from dyadwatch.pipeline import Extractor

SENTENCE = ("On 12 May 2021 Russia lent Belarus USD 500 million, and the two governments signed an agreement on "
            "gas. Minsk protested against the new duties imposed by Moscow in June. ")
SHAPES: dict[str, Callable[[int], str]] = {
    "one paragraph, no blank line": lambda size: (SENTENCE * (size // len(SENTENCE) + 1))[:size],
    "paragraphs of varied prose": lambda size: varied_paragraphs(size),
    "run of '['": lambda size: "[" * size,
    "one very long word": lambda size: "w" * size,
    "one line of numbers": lambda size: " ".join(str(i) for i in range(size))[:size],
}
SIZES_KB = (12, 24, 48)
WORDS = ("Russia", "Belarus", "Poland", "the government", "lent", "signed", "protested", "against", "an agreement",
         "on gas", "in May 2021", "USD 300 million", "the border", "closed", "talks", "resumed", "with", "and",
         "the ministers", "met", "in Minsk", "duties", "imposed", "on potash", "grew by 4 percent", "trade")


def varied_paragraphs(size: int) -> str:
    """Paragraphs of four sentences of shuffled report words: every paragraph differs (cleaning drops repeats)."""
    words = random.Random(size)
    paragraphs, length = [], 0
    while length < size:
        sentences = [" ".join(words.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(4)]
        paragraphs.append(" ".join(sentences))
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)[:size]


def timed(extractor: Extractor, text: str) -> float:
    document = Document(path="/bench.txt", name="bench.txt", format="txt", text=text, sha256="0" * 64)
    started = time.perf_counter()
    extractor.extract(document)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1, help="multiply the sizes (12, 24, 48 KB) by this")
    args = parser.parse_args()
    extractor = Extractor()
    timed(extractor, SENTENCE)  # warm up
    for shape, make in SHAPES.items():
        cells = []
        for kb in (size * args.scale for size in SIZES_KB):
            seconds = timed(extractor, make(kb * 1024))
            cells.append(f"{kb} KB {seconds:6.2f} s ({seconds / kb * 1000:5.1f} ms/KB)")
        print(f"{shape:<30} " + "   ".join(cells), flush=True)


if __name__ == "__main__":
    main()
