"""Cleaning that keeps a map back to the original characters.

Page furniture, repeated paragraphs, inline markup (`[word](#)`, `*emphasis*`,
`\\$`) and footnotes' marks (`[12]`) must not reach the extractor, yet every record has to point at the exact
characters of the original file. So cleaning only ever *deletes* characters (or
swaps one for one, as with non-breaking spaces, or spells a typeset ligature out in
the letters it joins) and remembers, for each kept character, where it stood in the
original (each letter of a ligature: where the ligature stood).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import compress, pairwise

from dyadwatch.knowledge import Furniture

PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
LINK_MARKUP = re.compile(r"\[([^\[\]\n]{1,300})\]\((?:[^()\s]|\([^()\s]*\))*\)")
EMPHASIS = re.compile(r"(?<![\w*])(\*{1,2})(?=[^\s*])([^*\n]{1,300}?)(?<=[^\s*])\1(?![\w*])")
HEADING_MARK = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
BULLETS = "-•●○■□►▸‣⁃*–▪◦"  # characters that open a list item
NUMBERED_ITEM = r"\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s"  # "1. ", "(2) ", "a) "
# a line that starts a list item, a table row, a quote or a heading: the line break before it is the writer's
STRUCTURED_LINE = re.compile(rf"[ \t]*(?:[{re.escape(BULLETS)}+>|#]|{NUMBERED_ITEM})")
SENTENCE_END = re.compile(r"[.!?:;…][\"”’)\]]*$")  # a line that ends a sentence
# A footnote's mark in running text splits or glues sentences for the parser: "[12]", "[3, 4]" or "[5–7]" after a
# word or a sentence's end (not at a line's start, where it labels a reference), a superscript number, or digits
# glued to a sentence's full stop before the next sentence ("was signed.12 The next ...").
BRACKETED_NOTE = re.compile(r"(?<=[^\s\[(])\[\d{1,3}(?:\s?[,–-]\s?\d{1,3})*\](?!\()")
SUPERSCRIPT_NOTE = re.compile(r"(?<=\S)[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
GLUED_NOTE = re.compile(r"(?<=[a-z)\"”’]\.)\d{1,3}(?=\s+[A-Z“\"])")
# Characters that show nothing: a soft hyphen inside a word ("negoti\u00adations"), zero-width spaces and joiners, a
# byte-order mark. Read as spaces they would split the word; they are deleted.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
ESCAPE = re.compile(r"\\(?=[$*_\[\]()#>`~|\\])")
# One character for one: odd spaces as spaces, and curly quotes as the straight ones the coder was trained reading
SAME_WIDTH = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
                            "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
# Typeset ligatures that text extracted from a PDF holds ("ofﬁcials"): the letters they join, as a reader sees them
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
             "\ufb06": "st"}
LIGATURE = re.compile(f"[{''.join(LIGATURES)}]")
WORD = re.compile(r"\w+")
MIN_WORDS_FOR_REPEAT = 12
REPEAT_OVERLAP = 0.7


@dataclass(frozen=True)
class CleanText:
    """Cleaned text and, for each of its characters, its offset in the original."""

    text: str
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned [start, end) span to the original text."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def clean(text: str, furniture: Furniture) -> CleanText:
    """Remove furniture, repeated paragraphs and inline markup from `text`."""
    keep = bytearray(b"\x01") * len(text)
    for start, end in _furniture_lines(text, furniture):
        keep[start:end] = bytes(end - start)
    for start, end in _repeated_paragraphs(text, keep):
        keep[start:end] = bytes(end - start)
    for start, end in _markup(text):
        keep[start:end] = bytes(end - start)
    kept = "".join(compress(text, keep)).translate(SAME_WIDTH)
    return _ligatures_spelt_out(kept, tuple(compress(range(len(text)), keep)))


def _ligatures_spelt_out(text: str, origin: tuple[int, ...]) -> CleanText:
    """The text with each ligature written as its letters, every letter mapped back to the ligature."""
    if not LIGATURE.search(text):
        return CleanText(text, origin)
    parts: list[str] = []
    places: list[int] = []
    at = 0
    for match in LIGATURE.finditer(text):
        letters = LIGATURES[match.group()]
        parts += [text[at:match.start()], letters]
        places += [*origin[at:match.start()], *[origin[match.start()]] * len(letters)]
        at = match.end()
    parts.append(text[at:])
    places += origin[at:]
    return CleanText("".join(parts), tuple(places))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the blocks of `text` separated by blank lines, stripped."""
    spans, start = [], 0
    for gap in PARAGRAPH_BREAK.finditer(text):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, len(text)))
    return [strip_span(text, s, e) for s, e in spans if text[s:e].strip()]


def unwrapped(paragraph: str) -> str:
    """The paragraph with each line break that only wraps running text as a space, the same length (offsets hold).

    Plain-text mail, memos and Markdown are often wrapped at a fixed width, and a parser reads a line break as
    the end of a sentence: "signed\nthe agreement" would be two. A break wraps text when the line before it ends
    inside a sentence and the next line's first word would not have fitted on it within the paragraph's widest
    line; a break before a list item, a table row or a quote stays, and so does one after a table row, a line that
    stops short (a title) or a sentence's end (the parser ends the sentence there anyway).
    """
    lines = paragraph.split("\n")
    if len(lines) < 2:
        return paragraph
    width = max(len(line.rstrip()) for line in lines)
    joined = [lines[0]]
    for before, line in pairwise(lines):
        joined.append((" " if _wraps(before, line, width) else "\n") + line)
    return "".join(joined)


def _wraps(before: str, line: str, width: int) -> bool:
    first_word = line.split(maxsplit=1)[0] if line.strip() else ""
    return bool(first_word) and not STRUCTURED_LINE.match(line) and not before.lstrip().startswith("|") \
        and not SENTENCE_END.search(before.rstrip()) and len(before.rstrip()) + 1 + len(first_word) > width


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, the end including its newline."""
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((start, start + len(line)))
        start += len(line)
    return spans


def _furniture_lines(text: str, furniture: Furniture) -> list[tuple[int, int]]:
    dropped: list[tuple[int, int]] = []
    in_block = False
    for start, end in _lines(text):
        line = text[start:end]
        stripped = line.strip(" \t\r\n\u00a0")
        if in_block and (not stripped or line[:1] in " \t\u00a0"):
            dropped.append((start, end))
            continue
        in_block = furniture.starts_block(stripped)
        if in_block or furniture.is_line(stripped):
            dropped.append((start, end))
    return dropped


def _repeated_paragraphs(text: str, keep: bytearray) -> list[tuple[int, int]]:
    """Paragraphs that repeat an earlier one (a page printing its lead twice)."""
    seen: list[set[str]] = []
    index: dict[str, list[int]] = {}
    repeats = []
    for start, end in paragraphs(text):
        if not any(keep[start:end]):
            continue
        shingles = _shingles(text[start:end])
        if len(shingles) < MIN_WORDS_FOR_REPEAT:
            continue
        shared = Counter(i for s in shingles for i in index.get(s, ()))
        if any(n >= REPEAT_OVERLAP * min(len(shingles), len(seen[i])) for i, n in shared.items()):
            repeats.append((start, end))
            continue
        for s in shingles:
            index.setdefault(s, []).append(len(seen))
        seen.append(shingles)
    return repeats


def _shingles(paragraph: str) -> set[str]:
    words = WORD.findall(paragraph.lower())
    return {" ".join(words[i:i + 3]) for i in range(max(len(words) - 2, 0))}


def _markup(text: str) -> list[tuple[int, int]]:
    """Character spans of Markdown markup, not of the words it wraps, of footnotes' marks and of characters that
    show nothing."""
    spans = []
    for match in LINK_MARKUP.finditer(text):
        spans.append((match.start(), match.start() + 1))
        spans.append((match.end(1), match.end()))
    for match in EMPHASIS.finditer(text):
        marker = len(match.group(1))
        spans.append((match.start(), match.start() + marker))
        spans.append((match.end() - marker, match.end()))
    spans.extend(m.span() for m in HEADING_MARK.finditer(text))
    spans.extend(m.span() for m in ESCAPE.finditer(text))
    for note in (BRACKETED_NOTE, SUPERSCRIPT_NOTE, GLUED_NOTE, INVISIBLE):
        spans.extend(m.span() for m in note.finditer(text))
    return spans
