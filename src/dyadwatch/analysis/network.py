"""The actor network: who acts on whom, from stories (each story counted once).

Nodes are actor codes (BLR-GOV, RUS, EU ...) or, with `countries=True`, the
countries they belong to. A directed edge source -> target carries `count`
(stories), `count_<TYPE>` per PLOVER type (AGREE, AID, ...), `intensity_sum`,
`mean_intensity`, `cooperation` and `conflict` (sums of the positive and the
negative intensities). Nodes carry `name` (from the actors table; for
COUNTRY-SECTOR codes "Belarus: government", with the actors table's entry for
the code, often a person, as `known_as`), `kind`, `country` and `count`
(stories the actor takes part in), `out_count`, `in_count`. Negated stories and
stories without a target are left out of the edges; a story without a target
still counts for its source. Every attribute is a scalar, so GraphML and GEXF
can hold them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from sqlalchemy import case, func, select

from dyadwatch.knowledge.labels import code_label
from dyadwatch.reconcile.story_listing import stories_at_threshold
from dyadwatch.reconcile.story_rules import Story
from dyadwatch.store import schema
from dyadwatch.store.database import Store

WRITERS = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf}


@dataclass(frozen=True)
class Tally:
    """Stories of one source, target and type: how many, and their intensities added up."""

    source: str | None
    target: str | None
    type: str
    count: int
    intensity_sum: float
    cooperation: float  # the positive intensities added up
    conflict: float  # the negative ones

    @classmethod
    def of(cls, story: Story) -> Tally:
        return cls(story.source, story.target, story.type, 1, story.intensity, max(story.intensity, 0.0),
                   min(story.intensity, 0.0))


def actor_network(store: Store, countries: bool = False, min_confidence: float | None = None) -> nx.DiGraph:
    """The network of the database's stories at the threshold: the stored ones tallied by the database, those
    told again without their less certain events in Python."""
    told_again, regrouped = stories_at_threshold(store, min_confidence)
    S = schema.stories
    query = (select(S.c.source, S.c.target, S.c.type, func.count(), func.sum(S.c.intensity),
                    func.sum(case((S.c.intensity > 0, S.c.intensity), else_=0.0)),
                    func.sum(case((S.c.intensity < 0, S.c.intensity), else_=0.0)))
             .where(S.c.negated.is_not(True), S.c.id.not_in(told_again))
             .group_by(S.c.source, S.c.target, S.c.type))
    with store.connect() as conn:
        tallies = [Tally(*row) for row in conn.execute(query)]
    tallies += [Tally.of(story) for story in regrouped if not story.negated]
    return network_of(tallies, _actor_table(store), countries)


def network_of(tallies: list[Tally], actors: dict[str, tuple[str, str]] | None = None,
               countries: bool = False) -> nx.DiGraph:
    """The network of these tallies of stories (`Tally.of` one story); `actors` maps code -> (name, kind)."""
    actors = actors or {}
    graph = nx.DiGraph()
    types: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # intensity, +, -
    taking_part: dict[str, Counter[str]] = defaultdict(Counter)
    for tally in tallies:
        source, target = _node(tally.source, countries), _node(tally.target, countries)
        if source:
            taking_part[source]["out"] += tally.count
        if target and target != source:
            taking_part[target]["in"] += tally.count
        if source and target and source != target:
            types[(source, target)][tally.type] += tally.count
            added = sums[(source, target)]
            added[0] += tally.intensity_sum
            added[1] += tally.cooperation
            added[2] += tally.conflict
    for code, counts in taking_part.items():
        name, kind = _describe(code, actors)
        graph.add_node(code, name=name, kind=kind, known_as=actors.get(code, ("", ""))[0],
                       country=code.split("-")[0], count=counts["out"] + counts["in"], out_count=counts["out"],
                       in_count=counts["in"])
    for (source, target), counted in types.items():
        total, cooperation, conflict = sums[(source, target)]
        count = sum(counted.values())
        attributes: dict[str, float | int] = {f"count_{t}": n for t, n in sorted(counted.items())}
        graph.add_edge(source, target, count=count, intensity_sum=round(total, 2),
                       mean_intensity=round(total / count, 2), cooperation=round(float(cooperation), 2),
                       conflict=round(float(conflict), 2), **attributes)
    return graph


def write_network(graph: nx.DiGraph, path: str | Path) -> Path:
    """Write GraphML (.graphml) or GEXF (.gexf), chosen by the file's suffix."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(f"unknown network format '{path.suffix}'; choose one of {', '.join(WRITERS)}")
    writer(graph, path)
    return path


def _node(code: str | None, countries: bool) -> str | None:
    if not code:
        return None
    return code.split("-")[0] if countries else code


def _describe(code: str, actors: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(name, kind): the actors table's entry; for COUNTRY-SECTOR codes the country and the sector."""
    if "-" in code:
        return code_label(code, {c: name for c, (name, _) in actors.items()}), "sector"
    return actors.get(code, (code, ""))


def _actor_table(store: Store) -> dict[str, tuple[str, str]]:
    T = schema.actors
    with store.connect() as conn:
        return {code: (name, kind or "") for code, name, kind in conn.execute(select(T.c.code, T.c.name, T.c.kind))}
