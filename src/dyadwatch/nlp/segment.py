"""Sentence starts at line breaks: headings, list items and paragraphs never run into the next line."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("dyadwatch_segment")
def segment(doc: Doc) -> Doc:
    """Mark the first token after every line break as a sentence start (the parser keeps the rest)."""
    after_break = False
    for token in doc:
        if token.is_space:
            after_break = after_break or "\n" in token.text
            continue
        if "\n" in token.whitespace_:
            after_break = True  # the break belongs to this token; the next one starts a line
            continue
        if after_break and token.i > 0:
            token.is_sent_start = True
        after_break = False
    return doc
