"""A PDF's text as people read it: lines joined into paragraphs, words split at a line end rejoined,
running headers and footers and page numbers left out, ligatures spelt out.

PDF text extraction gives one line per printed line. The document's text in dyadwatch is the text
made here, so every record's offsets point into it exactly.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from dyadwatch.ingest.clean import BULLETS, LIGATURES, NUMBERED_ITEM, SENTENCE_END

PAGE_NUMBER = re.compile(r"(?i)^(?:page\s+)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$")
EDGE_LINES = 3  # a running header or footer stands in the first or last lines of a page
LIST_ITEM = re.compile(rf"^(?:[{re.escape(BULLETS)}]\s|{NUMBERED_ITEM})")
SPELT_OUT = str.maketrans(LIGATURES)  # the letters each typeset ligature joins
PLACEHOLDER_TITLES = re.compile(r"(?i)^(?:about:blank|untitled.*|document\d*|microsoft word\b.*|.*\.(?:docx?|pdf|"
                                r"html?|odt|rtf)|\s*)$")


def reflow(pages: list[str]) -> str:
    """The text of the pages as paragraphs separated by blank lines."""
    page_lines = [[line.strip() for line in page.translate(SPELT_OUT).splitlines()] for page in pages]
    running = _running_lines(page_lines)
    lines: list[str] = []
    for page in page_lines:
        for index, line in enumerate(page):
            edge = index < EDGE_LINES or index >= len(page) - EDGE_LINES
            if edge and line and (_shape(line) in running or PAGE_NUMBER.match(line)):
                continue
            lines.append(line)
    return "\n\n".join(_paragraphs(lines))


def useful_title(title: str) -> str:
    """The PDF's title, unless it is a placeholder a browser or word processor wrote ('about:blank')."""
    return "" if PLACEHOLDER_TITLES.match(title.strip()) else title.strip()


def _shape(line: str) -> str:
    """A line with its numbers blanked: 'Report 2021 — page 3' repeats as 'Report # — page #'."""
    return re.sub(r"\d+", "#", line.lower())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Shapes of the lines that open or close at least half the pages (of two or more)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        edges = [line for line in page[:EDGE_LINES] + page[-EDGE_LINES:] if line]
        counts.update({_shape(line) for line in edges})
    return {shape for shape, count in counts.items() if count >= max(2, len(pages) / 2)}


def _paragraphs(lines: list[str]) -> list[str]:
    widths = [len(line) for line in lines if len(line) > 40]
    full = statistics.median(widths) if widths else 80
    paragraphs: list[str] = []
    current, last = "", ""  # the paragraph so far and its last printed line
    for line in lines:
        if current and (not line or _breaks(current, last, line, full)):
            paragraphs.append(current)
            current = ""
        if not line:
            continue
        if not current:
            current = line
        elif current.endswith("-") and len(current) > 1 and current[-2].isalpha() and line[:1].islower():
            current = current[:-1] + line  # a word split at the line end
        else:
            current = f"{current} {line}"
        last = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _breaks(paragraph: str, last: str, line: str, full: float) -> bool:
    """Whether `line` starts a new paragraph after `paragraph`, whose last printed line is `last`."""
    if LIST_ITEM.match(line):
        return True
    if SENTENCE_END.search(last) and len(last) < 0.75 * full and line[:1].isupper():
        return True  # a sentence that ends before the margin ends its paragraph
    heading = paragraph == last and len(last) < 0.6 * full and not SENTENCE_END.search(last) and last[:1].isupper()
    return heading and line[:1].isupper() and len(last.split()) <= 12
