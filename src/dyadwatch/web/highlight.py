"""Document text with records highlighted, built only from escaped pieces.

Documents are third-party text: they may hold `<script>` or `onerror=` payloads.
The markup is therefore assembled here from text that has gone through
markupsafe.escape piece by piece, and only our own tags and attributes (whose
values are escaped too) are added around them. Spans may nest or overlap
(an event inside a claim's sentence), so the text is cut at every span boundary
and each piece is marked with every span that covers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    """A stretch [start, end) of a document's text to mark, with its kind (event, figure, claim, hit…)."""

    start: int
    end: int
    kind: str
    record_id: str = ""


def highlight(text: str, spans: Sequence[Span], offset: int = 0) -> Markup:
    """`text` (which begins at `offset` in its document) as safe HTML with `spans` marked.

    Each span gets an empty anchor `id="rec-ID"` where it starts, so pages can link to a record.
    """
    inside = [_clipped(span, offset, len(text)) for span in spans]
    inside = [span for span in inside if span is not None]
    cuts = sorted({0, len(text), *(s.start for s in inside), *(s.end for s in inside)})
    pieces: list[Markup] = []
    anchored: set[str] = set()
    for begin, end in pairwise(cuts):
        for span in inside:
            if span.start == begin and span.record_id and span.record_id not in anchored:
                anchored.add(span.record_id)
                pieces.append(Markup('<span class="anchor" id="rec-{}"></span>').format(span.record_id))
        covering = [s for s in inside if s.start <= begin and s.end >= end]
        pieces.append(_marked(text[begin:end], covering))
    return Markup("").join(pieces)


def _clipped(span: Span, offset: int, length: int) -> Span | None:
    start, end = max(span.start - offset, 0), min(span.end - offset, length)
    return Span(start, end, span.kind, span.record_id) if start < end else None


def _marked(piece: str, covering: Sequence[Span]) -> Markup:
    if not covering:
        return escape(piece)
    kinds = " ".join(sorted({f"hl-{span.kind}" for span in covering}))
    ids = " ".join(span.record_id for span in covering if span.record_id)
    return Markup('<mark class="{}" data-records="{}">{}</mark>').format(kinds, ids, piece)
