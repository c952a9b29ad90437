"""Properties of reading and cleaning, over generated input: no exception but a coded InputError, and every
offset points at the characters it names."""

from __future__ import annotations

import codecs
import itertools
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.errors import InputError
from dyadwatch.ingest.clean import LIGATURES, SAME_WIDTH, clean, paragraphs
from dyadwatch.ingest.readers import decode_text, read_document
from dyadwatch.knowledge import load_knowledge
from dyadwatch.pipeline import MAX_PARAGRAPH_CHARS, paragraph_blocks

FURNITURE = load_knowledge().furniture
# Text with the characters that matter to cleaning and splitting: markup, breaks, spaces of all widths.
MARKUP = st.sampled_from(["[", "]", "(", ")", "*", "**", "#", "## ", "\\", "_", "`", "\n", "\n\n", "\r\n", "\r",
                          " ", "\t", "\u00a0", "\u2009", "\u00ad", ". ", "Share this", "Subscribe", "\x0c",
                          "\u2028", "\x85", "\x00"])
WORDS = st.sampled_from(["Russia", "lent", "Belarus", "USD", "500", "million", "in", "May", "2021", "talks", "a",
                         "o\ufb03cials", "\ufb01nance"])


def read_as(character: str) -> str:
    """What cleaning makes of a character it keeps."""
    return LIGATURES.get(character, character.translate(SAME_WIDTH))
TEXT = st.lists(st.one_of(MARKUP, WORDS, st.text(max_size=8)), max_size=60).map("".join)


@given(TEXT)
def test_cleaning_only_deletes_and_maps_every_kept_character_back(text: str):
    cleaned = clean(text, FURNITURE)
    assert len(cleaned.text) == len(cleaned.origin)
    assert all(a <= b for a, b in itertools.pairwise(cleaned.origin))
    # the characters read from one original character spell what it is read as (a ligature: its letters)
    by_origin = itertools.groupby(range(len(cleaned.text)), key=lambda i: cleaned.origin[i])
    assert all("".join(cleaned.text[i] for i in kept) == read_as(text[o]) for o, kept in by_origin)


@given(TEXT, st.data())
def test_a_cleaned_span_maps_to_a_span_of_the_original_that_holds_its_characters(text: str, data):
    cleaned = clean(text, FURNITURE)
    start = data.draw(st.integers(0, len(cleaned.text)))
    end = data.draw(st.integers(start, len(cleaned.text)))
    original_start, original_end = cleaned.to_original(start, end)
    assert 0 <= original_start <= original_end <= len(text)
    assert all(cleaned.text[i] in read_as(text[o]) for i, o in zip(range(start, end), cleaned.origin[start:end],
                                                                      strict=True))
    assert all(original_start <= o < original_end for o in cleaned.origin[start:end])


@given(st.lists(st.one_of(MARKUP, WORDS, st.just("x" * 700), st.just("long sentence. " * 60)), max_size=40)
       .map("".join))
def test_paragraph_pieces_are_short_ordered_and_inside_their_paragraph(text: str):
    blocks = paragraph_blocks(text)
    spans = paragraphs(text)
    assert all(b.end - b.start <= MAX_PARAGRAPH_CHARS for b in blocks)
    assert all(a.end <= b.start for a, b in itertools.pairwise(blocks))
    assert all(any(s <= b.start and b.end <= e for s, e in spans) for b in blocks)
    assert all(text[b.start:b.end].strip() == text[b.start:b.end] and b.end > b.start for b in blocks)


@given(st.text())
def test_text_in_any_unicode_encoding_with_a_byte_order_mark_decodes_to_itself(text: str):
    path = Path("x.txt")
    for mark, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                           (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                           (codecs.BOM_UTF32_BE, "utf-32-be")):
        if encoding == "utf-16-le" and text.startswith("\x00"):
            continue  # FF FE 00 00 is also UTF-32's mark, which wins: no reader can tell the two apart
        assert decode_text(path, mark + text.encode(encoding, "surrogatepass")) == text or not _encodable(text)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@given(st.text(st.characters(min_codepoint=1, max_codepoint=255), min_size=2))
def test_latin_text_in_utf16_without_a_mark_is_recognised(text: str):
    for encoding in ("utf-16-le", "utf-16-be"):
        assert decode_text(Path("x.txt"), text.encode(encoding)) == text


@settings(max_examples=max(settings().max_examples // 4, 50))  # each example writes a file
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".md", ".html", ".pdf"]))
def test_any_bytes_give_a_document_or_a_coded_error(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            document = read_document(path)
        except InputError as error:
            assert error.code.name.startswith("E")
        else:
            assert document.text.strip() and len(document.sha256) == 64
