"""The days an ISO date of any precision covers: "2021" is 1 January to 31 December 2021."""

from __future__ import annotations

import calendar


def first_day(date: str) -> str:
    """The first day of a date of any precision: "2021" -> "2021-01-01"."""
    return (date + "-01-01"[len(date) - 4:])[:10] if len(date) < 10 else date[:10]


def last_day(date: str) -> str:
    """The last day of a date of any precision: "2021" -> "2021-12-31", "2021-02" -> "2021-02-28"."""
    if len(date) >= 10:
        return date[:10]
    if len(date) >= 7:
        year, month = int(date[:4]), int(date[5:7])
        return f"{date[:7]}-{calendar.monthrange(year, month)[1]:02d}"
    return f"{date[:4]}-12-31"


def overlap(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether two spans of days (first, last; ISO) share a day."""
    return a[0] <= b[1] and b[0] <= a[1]
