"""PDFs read as people see them: paragraphs, rejoined words, no running headers or page numbers."""

from dyadwatch.ingest.pdf_text import reflow, useful_title
from dyadwatch.ingest.readers import read_document
from tests.ingest.pdfs import paged_pdf

PAGES = [
    ["Andean Monitor | Issue 12", "Border Talks Resume",
     "The foreign ministers of Peru and Ecuador met in Lima on 3 June and agreed to reopen two cross-",
     "ings that had been closed since the clashes in March, officials in both capitals said on Friday.",
     "The meeting lasted three hours.", "Page 1 of 2"],
    ["Andean Monitor | Issue 12",
     "Both sides also agreed to exchange lists of detainees before the end of the month and to meet",
     "again in Quito in July, when a joint commission is to report on the crossings.", "Page 2 of 2"],
]


def test_lines_become_paragraphs_and_furniture_goes():
    text = reflow(["\n".join(page) for page in PAGES])
    assert text.split("\n\n") == [
        "Border Talks Resume",
        "The foreign ministers of Peru and Ecuador met in Lima on 3 June and agreed to reopen two crossings "
        "that had been closed since the clashes in March, officials in both capitals said on Friday. "
        "The meeting lasted three hours.",
        "Both sides also agreed to exchange lists of detainees before the end of the month and to meet again "
        "in Quito in July, when a joint commission is to report on the crossings.",
    ]


def test_a_browser_placeholder_is_no_title():
    assert useful_title("about:blank") == "" and useful_title("Microsoft Word - draft3.docx") == ""
    assert useful_title("Border Talks Resume") == "Border Talks Resume"


def test_a_printed_pdf_reads_as_paragraphs_with_its_first_heading_as_title(tmp_path, extractor):
    path = tmp_path / "printed.pdf"
    path.write_bytes(paged_pdf(PAGES, title="about:blank"))
    document = read_document(path)
    extraction = extractor.extract(document)
    assert document.title == "Border Talks Resume"
    assert "Page 1" not in document.text and "Andean Monitor" not in document.text
    assert "crossings that" in document.text
    assert len(extraction.sentences) == 4  # the heading, two sentences, one sentence: not one per printed line
    for event in extraction.events:
        assert document.text[event.evidence.start:event.evidence.end] == event.quote


def test_ligatures_are_spelt_out():
    assert reflow(["The ofﬁcials ﬂew to Baku with the staﬀ."]) == "The officials flew to Baku with the staff."
