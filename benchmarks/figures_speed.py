"""Prints how fast figures are found in long texts (it was a timed unit test; speed belongs here).

Two shapes: 10,000 words of report prose in paragraphs, and 3,000 sentences with no line break; the
second at three sizes, so that a time growing faster than the text shows.
"""

from __future__ import annotations

import time

from dyadwatch.nlp.quantities import find_figures

PARAGRAPH = ("On 12 May the ministers met in Vilnius. Trade grew by 6.5 percent to USD 3.4 billion, "
             "and 14 new routes opened, while the two governments argued about the other three. "
             "Nearly half of the cargo, some 24 million tonnes, went through the port.\n")


def best_of(repeat: int, text: str) -> tuple[float, int]:
    find_figures(text)  # warm up
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        count = len(find_figures(text))
        timings.append(time.perf_counter() - started)
    return min(timings), count


def main() -> None:
    prose = PARAGRAPH * (10_000 // len(PARAGRAPH.split()) + 1)
    seconds, count = best_of(5, prose)
    print(f"10,000 words in paragraphs: {seconds * 1000:.1f} ms, {count} figures")
    for sentences in (750, 1500, 3000):
        text = " ".join(f"Route {i}: {i} trucks and {i % 90 + 1}% of USD {i} million." for i in range(sentences))
        seconds, count = best_of(3, text)
        print(f"{sentences:>5} sentences without a line break ({len(text):,} chars): {seconds * 1000:.1f} ms, "
              f"{count} figures, {seconds * 1e6 / len(text):.2f} µs/char")


if __name__ == "__main__":
    main()
