"""Word stems for full-text search, made in Python so that every database indexes and matches the same terms.

A text's words (runs of letters and digits) are case-folded, stripped of diacritics and reduced by the
Snowball English stemmer (PyStemmer, the C library behind PostgreSQL's english configuration): "signed" and
"signing" both give "sign", while "general" and "generation" stay apart. Sentences are stored with their stems
(store/schema.py, `sentences.stems`); SQLite's FTS5 and PostgreSQL's text search index those stems without
stemming them again, and a question's words go through the same function, so a word matches in the index
exactly where it matches in the re-ranking, on either database.
"""

from __future__ import annotations

import re
import unicodedata

import Stemmer

WORD = re.compile(r"[^\W_]+")
LANGUAGE = "english"


def plain_words(text: str) -> list[str]:
    """The words of `text`, case-folded, without diacritics ("Łukašenka" -> "łukasenka")."""
    if text.isascii():  # most text: nothing to decompose
        return WORD.findall(text.lower())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c)))


def stems_of(text: str) -> tuple[str, ...]:
    """The stems of the words of `text`, in order. A stemmer is made per call: it costs under a microsecond and
    PyStemmer's stemmers must not be shared between threads."""
    return tuple(Stemmer.Stemmer(LANGUAGE).stemWords(plain_words(text)))


def stems_of_all(texts: list[str]) -> list[tuple[str, ...]]:
    """`stems_of` for many texts with one stemmer (whose cache then serves the words they share)."""
    stemmer = Stemmer.Stemmer(LANGUAGE)
    return [tuple(stemmer.stemWords(plain_words(text))) for text in texts]
