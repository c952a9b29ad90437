"""Readers: one per file format, each turning a file into a Document with its text.

For plain text and Markdown the document text is the decoded file, so offsets
point into the file itself. HTML and PDF carry markup or layout; their document
text is the readable text the reader extracts (kept in the database), and
offsets point into that.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from bs4 import BeautifulSoup

from dyadwatch.errors import Errors, InputError
from dyadwatch.model import Document

BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dt", "dd",
              "figcaption", "caption", "address")
DATABASE_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal", ".sqlite", ".sqlite3")  # dyadwatch's own store
SKIPPED_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
                "button", "svg", "iframe")


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Files under `paths` (folders recursively; hidden files and databases skipped); a missing path is an error."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and not _hidden(p, path) and not p.name.endswith(DATABASE_SUFFIXES))
        elif path.is_file():
            yield path
        else:
            yield InputError(str(path), Errors.E001)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def read_document(path: Path) -> Document:
    """Read one file with the reader for its extension."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(str(path), Errors.E005, suffix=path.suffix or "(none)", supported=", ".join(READERS))
    data = path.read_bytes()
    if not data.strip():
        raise InputError(str(path), Errors.E002)
    text, meta = reader(path, data)
    if not text.strip():
        raise InputError(str(path), Errors.E007)
    return Document(
        path=str(path.resolve()),
        name=path.name,
        format=path.suffix.lower().lstrip("."),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        title=meta.get("title", ""),
        authors=[meta["author"]] if meta.get("author") else [],
        date=meta.get("date"),
    )


def decode_text(path: Path, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(str(path), Errors.E003)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(str(path), Errors.E004, offset=error.start) from None


def read_plain(path: Path, data: bytes) -> tuple[str, dict[str, str]]:
    return decode_text(path, data).replace("\r\n", "\n").replace("\r", "\n"), {}


def read_html(path: Path, data: bytes) -> tuple[str, dict[str, str]]:
    soup = BeautifulSoup(decode_text(path, data), "html.parser")
    meta = _html_meta(soup)
    for tag in soup(SKIPPED_TAGS):
        tag.decompose()
    blocks = []
    for element in soup.find_all(BLOCK_TAGS):
        if element.find(BLOCK_TAGS):
            continue  # its inner blocks are read on their own
        text = " ".join(element.get_text(" ").split())
        if text:
            blocks.append(text)
    if not blocks and soup.body:
        blocks = [" ".join(line.split()) for line in soup.body.get_text("\n").splitlines() if line.strip()]
    return "\n\n".join(blocks), meta


def _html_meta(soup: BeautifulSoup) -> dict[str, str]:
    meta: dict[str, str] = {}
    if soup.title and soup.title.string:
        meta["title"] = " ".join(soup.title.string.split())
    for name, key in (("author", "author"), ("date", "date"), ("article:published_time", "date"),
                      ("citation_publication_date", "date"), ("dc.date", "date")):
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        if tag and tag.get("content") and key not in meta:
            meta[key] = str(tag["content"]).strip()
    time_tag = soup.find("time", attrs={"datetime": True})
    if time_tag and "date" not in meta:
        meta["date"] = str(time_tag["datetime"]).strip()
    return meta


def read_pdf(path: Path, data: bytes) -> tuple[str, dict[str, str]]:
    from pypdf import PdfReader  # imported here: PDF support is needed only for PDFs
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise InputError(str(path), Errors.E006, reason=str(error) or type(error).__name__) from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise InputError(str(path), Errors.E012)
    meta = {"title": str(info.get("/Title") or ""), "author": str(info.get("/Author") or "")}
    return text, {k: v for k, v in meta.items() if v}


READERS: dict[str, Callable[[Path, bytes], tuple[str, dict[str, str]]]] = {
    ".txt": read_plain,
    ".text": read_plain,
    ".md": read_plain,
    ".markdown": read_plain,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
}
