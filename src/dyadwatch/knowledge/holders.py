"""Who held an office on a given day, from the dated roles of the knowledge files.

One actor code stands for many people over time (ARM-GOV: every president, prime minister and
minister of Armenia). When an event shows its actors by name, the name is that of the person whose
role covered the event's date, else the document's date; a date the roles do not cover gives no name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dyadwatch.knowledge import Actor

# Offices in the order a reader names a state's government by: its head first.
RANKS = ("president", "supreme leader", "king", "emir", "chancellor", "prime minister", "premier", "chairman")


@dataclass(frozen=True)
class Tenure:
    name: str
    title: str
    start: str
    end: str  # "" while still in office

    def covers(self, day: str) -> bool:
        """Whether `day` (YYYY, YYYY-MM or YYYY-MM-DD) falls in the tenure, read at its own precision."""
        return self.start[:len(day)] <= day and (not self.end or day <= self.end[:len(day)])

    @property
    def rank(self) -> int:
        title = self.title.lower()
        return next((k for k, office in enumerate(RANKS) if office in title), len(RANKS))


class OfficeHolders:
    def __init__(self, actors: Iterable[Actor]) -> None:
        self.by_code: dict[str, list[Tenure]] = {}
        for actor in actors:
            for role in actor.roles:
                if role.start:
                    self.by_code.setdefault(actor.code, []).append(
                        Tenure(actor.name, role.title, role.start, role.end or ""))

    def holders(self, code: str | None, day: str | None) -> list[Tenure]:
        """The people holding an office under `code` on `day`, heads of state and government first."""
        if not code or not day:
            return []
        serving = [t for t in self.by_code.get(code, []) if t.covers(day)]
        return sorted(serving, key=lambda t: (t.rank, t.start))

    def label(self, code: str | None, day: str | None, most: int = 2) -> str:
        """'Vahagn Khachaturyan, Nikol Pashinyan': the leading office holders on that day, for display."""
        names = list(dict.fromkeys(t.name for t in self.holders(code, day)))
        return ", ".join(names[:most])
