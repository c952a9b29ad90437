"""Word and OpenDocument files built by hand for the reader tests: the XML parts a word processor writes, zipped."""

from __future__ import annotations

import io
import zipfile

WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CORE_NS = ('xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/"')
ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"')


def zipped(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def word_paragraph(*runs: str, style: str = "") -> str:
    """A w:p of runs; each run is its text, or raw run XML when it starts with '<'."""
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    body = "".join(run if run.startswith("<") else f"<w:r><w:t xml:space=\"preserve\">{run}</w:t></w:r>"
                   for run in runs)
    return f"<w:p>{properties}{body}</w:p>"


def word_table(rows: list[list[str]]) -> str:
    cells = "".join("<w:tr>" + "".join(f"<w:tc>{word_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>"
                    for row in rows)
    return f"<w:tbl>{cells}</w:tbl>"


def make_docx(body: str, title: str = "", author: str = "") -> bytes:
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {WORD_NS}><w:body>{body}</w:body></w:document>'
    core = (f'<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties {CORE_NS}><dc:title>{title}</dc:title>'
            f'<dc:creator>{author}</dc:creator></cp:coreProperties>')
    return zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": document, "docProps/core.xml": core})


def make_odt(body: str, title: str = "", author: str = "") -> bytes:
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}><office:body>'
               f'<office:text>{body}</office:text></office:body></office:document-content>')
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NS}><office:meta>'
            f'<dc:title>{title}</dc:title><meta:initial-creator>{author}</meta:initial-creator></office:meta>'
            '</office:document-meta>')
    return zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content, "meta.xml": meta})


def docx_bomb() -> bytes:
    """A .docx whose document part unpacks to 65 MB of spaces (a few dozen KB packed)."""
    return zipped({"word/document.xml": b"<w:document>" + b" " * (65 * 1024 * 1024) + b"</w:document>"})


def docx_with_entities() -> bytes:
    laughs = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
              f'<w:document {WORD_NS}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    return zipped({"word/document.xml": laughs})
