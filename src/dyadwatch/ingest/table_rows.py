"""A table as the text the pipeline reads: markdown rows under a header row (`dyadwatch.nlp.tables` reads its
figures from them), whatever format the table came in (HTML, Word, OpenDocument)."""

from __future__ import annotations


def markdown_table(rows: list[list[str]], caption: str = "") -> str:
    """Rows of cell texts as a markdown table, its first row the header, its caption a paragraph before it."""
    lines = ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows if any(row)]
    if len(lines) > 1:
        lines.insert(1, "|" + "---|" * lines[0].count(" | ") + "---|")
    return "\n\n".join(part for part in (caption, "\n".join(lines)) if part)
