"""The offset invariant end to end, over generated documents: every record's quote is original[start:end]."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.model import Document

PIECES = st.sampled_from([
    "Russia", "lent", "Belarus", "USD 500 million", "in May 2021", "Minsk", "protested", "against", "Moscow", "the",
    "sanctions", "signed", "an agreement", "on 3 March", "will", "should", ".", ",", "\n", "\n\n", "[", "](#)", "*",
    "**", "## ", "\u00a0", "\t", "\r\n", "(", ")", "Share this", "Lithuania", "closed", "its border", "40%",
    "[" * 250, "x" * 300,
])
DOCUMENT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=80).map(" ".join)


@settings(max_examples=max(settings().max_examples // 20, 20))  # each example runs the whole pipeline
@given(DOCUMENT)
def test_every_record_quotes_the_original_at_its_offsets(extractor, text: str):
    document = Document(path="/generated.txt", name="generated.txt", format="txt", text=text, sha256="0" * 64)
    extraction = extractor.extract(document)
    for sentence in extraction.sentences:
        assert text[sentence.start:sentence.end] == sentence.text
    for mention in extraction.mentions:
        assert text[mention.start:mention.end] == mention.text
    for record in (*extraction.events, *extraction.quantities, *extraction.claims):
        assert text[record.evidence.start:record.evidence.end] == record.quote
    for event in extraction.events:
        assert record_inside(event.trigger, len(text))


def record_inside(span, length: int) -> bool:
    return 0 <= span.start <= span.end <= length


UNWRAPPED = ("Moldova and Romania\n\n"
             "On 4 May the Moldovan prime minister visited Bucharest and signed an energy agreement with the Romanian "
             "government, which promised to supply electricity through the winter. Chisinau also asked the "
             "European Union to speed up its accession talks.\n")


def wrap(text: str, width: int) -> str:
    """Each paragraph's line broken at `width` characters, as a mail client writes it."""
    import textwrap

    return "\n".join(textwrap.fill(line, width) if len(line) > width else line for line in text.split("\n"))


def coded(extractor, text: str) -> list[tuple]:
    document = Document(path="/brief.txt", name="brief.txt", format="txt", text=text, sha256="0" * 64)
    return [(e.type, e.source, e.target, e.date) for e in extractor.extract(document).events]


def test_a_document_wrapped_at_a_fixed_width_gives_the_events_of_the_same_text_unwrapped(extractor):
    as_written = coded(extractor, UNWRAPPED)
    assert len(as_written) >= 3
    assert coded(extractor, wrap(UNWRAPPED, 60)) == as_written


def test_footnote_marks_change_no_event_and_no_sentence(extractor):
    marked = UNWRAPPED.replace("winter.", "winter.[3]").replace("talks.", "talks.14")
    assert marked.count("[3]") == 1 and marked.count(".14") == 1

    def quoted(text: str) -> list[tuple]:
        document = Document(path="/brief.txt", name="brief.txt", format="txt", text=text, sha256="0" * 64)
        return [(e.type, e.source, e.target, e.quote.replace("[3]", "").replace(".14", "."))
                for e in extractor.extract(document).events]

    assert quoted(marked) == quoted(UNWRAPPED)


def test_curly_quotes_and_apostrophes_change_no_event(extractor):
    """The coder was trained on text with straight quotes; most reports use curly ones."""
    straight = ("Moldova's prime minister visited Bucharest on 4 May, and Romania's government promised to supply "
                "\"all the electricity needed\" through the winter. Chisinau's parliament thanked Bucharest.")
    curly = straight.replace("'", "\u2019").replace(' "', " \u201c").replace('" ', "\u201d ")
    assert "\u2019" in curly and "\u201c" in curly
    assert len(coded(extractor, straight)) >= 2
    assert coded(extractor, curly) == coded(extractor, straight)
