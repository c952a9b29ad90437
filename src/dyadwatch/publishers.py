"""Which publisher a document has, from its metadata: the publisher line cleaned ("By NAME, " and issue
numbers dropped, the first part before " · " or " | "), else the site name after the last " | " or " - " in
the title. Documents with neither have none ("").

Stored with each document (documents.publisher_name) as read or as an analyst corrected its metadata, so that
the publisher profiles group documents in the database.
"""

from __future__ import annotations

import re

BYLINE = re.compile(r"^by\s+[^,]+,\s*", re.IGNORECASE)
ISSUE = re.compile(r"[\s,]*(no\.?|#|issue|vol\.?|volume)\s*\d+\S*$", re.IGNORECASE)
SEPARATORS = re.compile(r"\s+[·|•]\s+")
TITLE_SITE = re.compile(r"\s+(?:\||-|–|—)\s+([^|–—]+)$")
MAX_SITE_WORDS = 6


def publisher_name(publisher: str, title: str) -> str:
    """The cleaned publisher line, else the site name at the end of the title, else ""."""
    line = SEPARATORS.split(publisher.strip())[0] if publisher.strip() else ""
    line = ISSUE.sub("", BYLINE.sub("", line)).strip(" ,;")
    if line:
        return line
    match = TITLE_SITE.search(title.strip())
    if match and len(match.group(1).split()) <= MAX_SITE_WORDS:
        return match.group(1).strip()
    return ""
