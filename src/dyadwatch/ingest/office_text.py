"""Word (.docx) and OpenDocument (.odt) files as text: their paragraphs, headings, list items and tables in order.

Both formats are zip archives of XML. Each paragraph or heading becomes a block of its own and each table
markdown rows (the form `dyadwatch.nlp.tables` reads its figures from), as the HTML reader gives them. Text a
reviewer deleted (tracked changes), comments, notes, page headers and footers are left out: they are not the
document's running text. The title and author come from the file's own properties.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, fromstring

from dyadwatch.errors import Errors, InputError
from dyadwatch.ingest.files import shown
from dyadwatch.ingest.table_rows import markdown_table

MAX_PART_BYTES = 64 * 1024 * 1024  # a part larger than this unpacked is refused (a zip bomb, not a report)

WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DUBLIN_CORE = "{http://purl.org/dc/elements/1.1/}"
ODF_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"

MARKUP_COMPATIBILITY = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Word: what a paragraph holds that is not its text as it now reads (deleted or moved-away text, field codes, the
# fallback copy of a text box that older programs read instead of its first form)
WORD_SKIPPED = {f"{WORD}{name}" for name in ("del", "moveFrom", "instrText", "delInstrText", "commentReference")} | {
    f"{MARKUP_COMPATIBILITY}Fallback"}
WORD_SPACES = {f"{WORD}{name}" for name in ("tab", "br", "cr")}
# OpenDocument: notes and comments sit inside the paragraph they are anchored to
ODF_SKIPPED = {f"{ODF_TEXT}note", f"{OFFICE}annotation", f"{ODF_TEXT}tracked-changes"}
ODF_ROW_GROUPS = {f"{ODF_TABLE}{name}" for name in ("table-header-rows", "table-rows", "table-row-group")}
WORD_PARAGRAPH, WORD_TABLE, WORD_ROW, WORD_CELL = (f"{WORD}{name}" for name in ("p", "tbl", "tr", "tc"))
WORD_WRAPPERS = {f"{WORD}{name}" for name in ("sdt", "sdtContent", "customXml")}  # content controls
ODF_PARAGRAPHS = {f"{ODF_TEXT}p", f"{ODF_TEXT}h"}
ODF_TABLE_TAG, ODF_ROW, ODF_CELL = (f"{ODF_TABLE}{name}" for name in ("table", "table-row", "table-cell"))
ODF_WRAPPERS = {f"{ODF_TEXT}{name}" for name in ("list", "list-item", "list-header", "section")}
NESTED_PARAGRAPHS = {WORD_PARAGRAPH, *ODF_PARAGRAPHS}
ODF_SPACES = {f"{ODF_TEXT}s", f"{ODF_TEXT}tab", f"{ODF_TEXT}line-break"}


def read_docx(path: Path, data: bytes) -> tuple[str, dict[str, str]]:
    """The body of a Word document as blocks of text, and its title and author."""
    return _read(path, data, WORD_FILE)


def read_odt(path: Path, data: bytes) -> tuple[str, dict[str, str]]:
    """The body of an OpenDocument text as blocks of text, and its title and author."""
    return _read(path, data, OPENDOCUMENT_FILE)


@dataclass(frozen=True)
class OfficeFormat:
    """Where one format keeps its text and properties, and how its body is read."""

    kind: str  # as users call it
    content: str  # the part that holds the body
    body: str  # the body's path inside that part
    blocks: Callable[[Element], Iterator[str]]
    properties: str  # the part that holds title and author
    author_tags: tuple[str, ...]


def _read(path: Path, data: bytes, office_format: OfficeFormat) -> tuple[str, dict[str, str]]:
    archive = _archive(path, data, office_format.kind)
    body = _xml(path, archive, office_format.content, office_format.kind).find(office_format.body)
    if body is None:
        raise InputError(shown(path), Errors.E053, kind=office_format.kind, reason="it holds no text body")
    blocks = list(office_format.blocks(body))
    properties = _optional_xml(path, archive, office_format.properties, office_format.kind)
    return "\n\n".join(blocks), _properties(properties, office_format.author_tags)


def _word_blocks(container: Element) -> Iterator[str]:
    for element in container:
        if element.tag == WORD_PARAGRAPH:
            text = _text(element, WORD_SKIPPED, WORD_SPACES, f"{WORD}t")
            if text:
                yield text
        elif element.tag == WORD_TABLE:
            yield markdown_table([[_cell(cell, _word_blocks) for cell in row.findall(WORD_CELL)]
                                  for row in element.findall(WORD_ROW)])
        elif element.tag in WORD_WRAPPERS:
            yield from _word_blocks(element)


def _odf_blocks(container: Element) -> Iterator[str]:
    for element in container:
        if element.tag in ODF_PARAGRAPHS:
            text = _text(element, ODF_SKIPPED, ODF_SPACES, None)
            if text:
                yield text
        elif element.tag == ODF_TABLE_TAG:
            yield markdown_table([[_cell(cell, _odf_blocks) for cell in row.findall(ODF_CELL)]
                                  for row in _odf_rows(element)])
        elif element.tag in ODF_WRAPPERS:
            yield from _odf_blocks(element)


def _odf_rows(table: Element) -> Iterator[Element]:
    """A table's own rows in order, header rows and row groups included (not the rows of tables inside it)."""
    for child in table:
        if child.tag == ODF_ROW:
            yield child
        elif child.tag in ODF_ROW_GROUPS:
            yield from _odf_rows(child)


def _cell(cell: Element, blocks: Callable[[Element], Iterator[str]]) -> str:
    return " ".join(" ".join(blocks(cell)).split())


def _text(paragraph: Element, skipped: set[str], spaces: set[str], text_tag: str | None) -> str:
    """A paragraph's text as it reads: the text elements (`text_tag`, or every element's own text when the
    format keeps text loose in its elements), tabs and breaks as spaces, `skipped` elements left out."""
    parts: list[str] = []

    def visit(element: Element) -> None:
        if element.tag in skipped:
            return
        if element.tag in spaces:
            parts.append(" ")
        elif text_tag is None or element.tag == text_tag:
            parts.append(element.text or "")
        for child in element:
            if child.tag in NESTED_PARAGRAPHS:
                parts.append(" ")  # a text box's paragraph inside this one: its words stay apart
            visit(child)
            if text_tag is None:
                parts.append(child.tail or "")

    visit(paragraph)
    return " ".join("".join(parts).split())


def _archive(path: Path, data: bytes, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise InputError(shown(path), Errors.E053, kind=kind,
                         reason="it is not a zip archive: an encrypted file, or an old .doc renamed") from None


def _xml(path: Path, archive: zipfile.ZipFile, part: str, kind: str) -> Element:
    found = _optional_xml(path, archive, part, kind)
    if found is None:
        raise InputError(shown(path), Errors.E053, kind=kind, reason=f"it has no {part}")
    return found


def _optional_xml(path: Path, archive: zipfile.ZipFile, part: str, kind: str) -> Element | None:
    try:
        info = archive.getinfo(part)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise InputError(shown(path), Errors.E053, kind=kind,
                         reason=f"{part} unpacks to more than {MAX_PART_BYTES // 2**20} MB")
    try:
        data = archive.read(info)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as error:
        raise InputError(shown(path), Errors.E053, kind=kind, reason=f"{part}: {error}") from None
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise InputError(shown(path), Errors.E053, kind=kind, reason=f"{part} declares entities, which no office "
                         "program writes")
    try:
        return fromstring(data)
    except ParseError as error:
        raise InputError(shown(path), Errors.E053, kind=kind,
                         reason=f"{part} is not well-formed XML ({error})") from None


def _properties(root: Element | None, author_tags: tuple[str, ...]) -> dict[str, str]:
    if root is None:
        return {}
    found = {"title": _first_text(root, (f"{DUBLIN_CORE}title",)), "author": _first_text(root, author_tags)}
    return {key: value for key, value in found.items() if value}


def _first_text(root: Element, tags: tuple[str, ...]) -> str:
    for tag in tags:
        element = next(root.iter(tag), None)
        if element is not None and element.text and element.text.strip():
            return " ".join(element.text.split())
    return ""


WORD_FILE = OfficeFormat("Word", "word/document.xml", f"{WORD}body", _word_blocks, "docProps/core.xml",
                         (f"{DUBLIN_CORE}creator",))
OPENDOCUMENT_FILE = OfficeFormat("OpenDocument", "content.xml", f"{OFFICE}body/{OFFICE}text", _odf_blocks, "meta.xml",
                                 (f"{DUBLIN_CORE}creator", f"{ODF_META}initial-creator"))
