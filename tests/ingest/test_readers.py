from pathlib import Path

import pytest

from dyadwatch.errors import InputError
from dyadwatch.ingest.files import InputFile, iter_input_files
from dyadwatch.ingest.readers import read_document
from tests.ingest.office import docx_bomb, docx_with_entities, make_docx, make_odt, word_paragraph, word_table, zipped
from tests.ingest.pdfs import make_pdf


def test_plain_text_keeps_the_file_text(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text("Title\n\nMinsk and Moscow met.", encoding="utf-8")
    document = read_document(path)
    assert document.text == "Title\n\nMinsk and Moscow met."
    assert document.name == "note.txt" and document.format == "txt" and len(document.sha256) == 64


def test_html_gives_readable_blocks_without_scripts_or_navigation(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Brief</title><meta name='author' content='A. Writer'></head><body>"
                    "<nav>Home | About</nav><h1>Gas talks</h1><p>Minsk <a href='#'>met</a> Moscow.</p>"
                    "<script>alert(1)</script><footer>Share</footer></body></html>", encoding="utf-8")
    document = read_document(path)
    assert document.text == "Gas talks\n\nMinsk met Moscow."
    assert document.title == "Brief" and document.authors == ["A. Writer"]


@pytest.mark.parametrize(("head", "title", "publisher"), [
    ("<title>Border talks resume | Andean Ledger</title><meta property='og:site_name' content='Andean Ledger'>",
     "Border talks resume", "Andean Ledger"),
    ("<title>Border talks resume - Andean Ledger</title>", "Border talks resume", "Andean Ledger"),  # the h1's words
    ("<meta property='og:title' content='Border talks resume'><title>Home | Andean Ledger</title>",
     "Border talks resume", ""),
    ("<title>Peru | Ecuador: a brief</title>", "Peru | Ecuador: a brief", ""),  # a bar that ends no headline
])
def test_an_html_page_title_leaves_out_its_site_name_and_gives_the_publisher(tmp_path: Path, head, title, publisher):
    path = tmp_path / "page.html"
    path.write_text(f"<html><head>{head}</head><body><h1>Border talks resume</h1><p>Lima met Quito.</p></body></html>",
                    encoding="utf-8")
    document = read_document(path)
    assert (document.title, document.publisher) == (title, publisher)


@pytest.mark.parametrize(("body", "text"), [
    ("<header><h1>Quito and Lima reopen the crossing</h1><p>By A. Writer | 3 June 2021</p></header>"
     "<article><p>Lima met Quito.</p></article>",
     "Quito and Lima reopen the crossing\n\nBy A. Writer | 3 June 2021\n\nLima met Quito."),
    ("<article><header><h2>Crossing reopens</h2></header><p>Lima met Quito.</p></article>",
     "Crossing reopens\n\nLima met Quito."),
    ("<header><h1>Andean Ledger</h1><p>News you can use</p></header><h2>Crossing reopens</h2><p>Lima met Quito.</p>",
     "Crossing reopens\n\nLima met Quito."),  # the site's banner, named as og:site_name names the site
    ("<header><p>Subscribe today</p></header><p>Lima met Quito.</p>", "Lima met Quito."),
])
def test_an_html_articles_own_header_is_read_and_the_sites_banner_is_not(tmp_path: Path, body, text):
    path = tmp_path / "page.html"
    head = "<meta property='og:site_name' content='Andean Ledger'>"
    path.write_text(f"<html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
    assert read_document(path).text == text


def test_an_html_table_becomes_markdown_rows_under_its_caption(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Trade grew.</p><table><caption>Trade with Chile</caption>"
                    "<tr><th>Year</th><th>Exports (USD bn)</th></tr><tr><td>2020</td><td><p>8.6</p></td></tr>"
                    "<tr><td>2021</td><td>9|1</td></tr></table><p>End.</p></body></html>", encoding="utf-8")
    assert read_document(path).text == ("Trade grew.\n\nTrade with Chile\n\n| Year | Exports (USD bn) |\n|---|---|\n"
                                        "| 2020 | 8.6 |\n| 2021 | 9/1 |\n\nEnd.")


def test_pdf_text_layer_is_read(tmp_path: Path):
    path = tmp_path / "memo.pdf"
    path.write_bytes(make_pdf("Russia lent Belarus a billion dollars."))
    assert "Russia lent Belarus" in read_document(path).text


def test_a_word_file_gives_its_paragraphs_and_tables_as_it_now_reads(tmp_path: Path):
    deleted = '<w:del><w:r><w:delText>Peru protested.</w:delText></w:r></w:del>'
    moved_away = '<w:moveFrom><w:r><w:t>Old place.</w:t></w:r></w:moveFrom>'
    text_box = ('<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                '<mc:Choice><w:r><w:t>Box.</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>Box.</w:t></w:r>'
                '</mc:Fallback></mc:AlternateContent>')
    body = (word_paragraph("Trade with Chile", style="Heading1")
            + word_paragraph("Lima and Santiago ", '<w:r><w:tab/></w:r>', "signed a deal.", deleted, moved_away)
            + word_table([["Year", "Exports (USD bn)"], ["2020", "8.6"], ["2021", "9|1"]])
            + '<w:sdt><w:sdtContent>' + word_paragraph("End. ", text_box) + '</w:sdtContent></w:sdt>'
            + '<w:sectPr/>')
    path = tmp_path / "brief.docx"
    path.write_bytes(make_docx(body, title="Andean trade", author="Ana Ruiz"))
    document = read_document(path)
    assert document.text == ("Trade with Chile\n\nLima and Santiago signed a deal.\n\n| Year | Exports (USD bn) |\n"
                             "|---|---|\n| 2020 | 8.6 |\n| 2021 | 9/1 |\n\nEnd. Box.")
    assert (document.title, document.authors, document.format) == ("Andean trade", ["Ana Ruiz"], "docx")


def test_an_opendocument_file_gives_its_headings_lists_and_tables_without_notes(tmp_path: Path):
    note = '<text:note><text:note-body><text:p>A footnote.</text:p></text:note-body></text:note>'
    body = ('<text:h text:outline-level="1">Border talks</text:h>'
            f'<text:p>Quito<text:s text:c="2"/>met Lima{note} in <text:span>May</text:span> 2021.<draw:frame '
            'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"><draw:text-box><text:p>Map 1</text:p>'
            '</draw:text-box></draw:frame></text:p>'
            '<text:list><text:list-item><text:p>First point.</text:p></text:list-item></text:list>'
            '<table:table><table:table-header-rows><table:table-row><table:table-cell><text:p>Year</text:p>'
            '</table:table-cell><table:table-cell><text:p>Crossings</text:p></table:table-cell></table:table-row>'
            '</table:table-header-rows><table:table-row><table:table-cell><text:p>2021</text:p></table:table-cell>'
            '<table:table-cell><text:p>40</text:p></table:table-cell></table:table-row></table:table>')
    path = tmp_path / "memo.odt"
    path.write_bytes(make_odt(body, title="Border memo", author="Luis Paz"))
    document = read_document(path)
    assert document.text == ("Border talks\n\nQuito met Lima in May 2021. Map 1\n\nFirst point.\n\n"
                             "| Year | Crossings |\n|---|---|\n| 2021 | 40 |")
    assert (document.title, document.authors) == ("Border memo", ["Luis Paz"])


@pytest.mark.parametrize(("name", "content", "message"), [
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "not a zip archive"),
    ("parts.docx", zipped({"word/styles.xml": "<w:styles/>"}), "has no word/document.xml"),
    ("bomb.docx", docx_bomb(), "unpacks to more than 64 MB"),
    ("laughs.docx", docx_with_entities(), "declares entities"),
    ("cut.odt", make_odt("<text:p>Quito met Lima.</text:p>")[:200], "could not be read"),
    ("broken.docx", zipped({"word/document.xml": "<w:document><w:body>"}), "not well-formed XML"),
])
def test_a_bad_office_file_names_the_file_and_the_problem(tmp_path: Path, name: str, content: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(path) in str(caught.value) and "E053" in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"  \n\n ", "empty"),
    ("binary.txt", b"\x00\x01\x02binary", "binary"),
    ("latin1.txt", "Lukashenka said caf\xe9".encode("latin-1"), "not valid UTF-8"),
    ("sheet.xlsx", b"PK\x03\x04", "unsupported file type '.xlsx'"),
    ("broken.pdf", b"%PDF-1.4\nthis is not a pdf body", "PDF could not be read"),
])
def test_bad_input_names_the_file_and_the_problem(tmp_path: Path, name: str, content: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_a_missing_path_is_reported_and_folders_are_read_recursively(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / ".hidden.txt").write_text("x", encoding="utf-8")
    found = list(iter_input_files([tmp_path / "a", tmp_path / "nowhere.txt"]))
    assert [p.name for p in found if isinstance(p, InputFile)] == ["b/deep.txt"]
    errors = [e for e in found if isinstance(e, InputError)]
    assert len(errors) == 1 and "nowhere.txt" in str(errors[0]) and "no such file" in str(errors[0])
