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
from pathlib import Path

import networkx as nx
from sqlalchemy import select

from dyadwatch.knowledge.labels import code_label
from dyadwatch.reconcile.stories import Story, build_stories
from dyadwatch.store import schema
from dyadwatch.store.database import Store

WRITERS = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf}


def actor_network(store: Store, countries: bool = False) -> nx.DiGraph:
    """The network of the database's stories."""
    return network_of(build_stories(store), _actor_table(store), countries)


def network_of(stories: list[Story], actors: dict[str, tuple[str, str]] | None = None,
               countries: bool = False) -> nx.DiGraph:
    """The network of these stories; `actors` maps code -> (name, kind)."""
    actors = actors or {}
    graph = nx.DiGraph()
    types: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    intensities: dict[tuple[str, str], list[float]] = defaultdict(list)
    taking_part: dict[str, Counter[str]] = defaultdict(Counter)
    for story in stories:
        if story.negated:
            continue
        source, target = _node(story.source, countries), _node(story.target, countries)
        if source:
            taking_part[source]["out"] += 1
        if target and target != source:
            taking_part[target]["in"] += 1
        if source and target and source != target:
            types[(source, target)][story.type] += 1
            intensities[(source, target)].append(story.intensity)
    for code, counts in taking_part.items():
        name, kind = _describe(code, actors)
        graph.add_node(code, name=name, kind=kind, known_as=actors.get(code, ("", ""))[0],
                       country=code.split("-")[0], count=counts["out"] + counts["in"], out_count=counts["out"],
                       in_count=counts["in"])
    for (source, target), counted in types.items():
        values = intensities[(source, target)]
        attributes: dict[str, float | int] = {f"count_{t}": n for t, n in sorted(counted.items())}
        graph.add_edge(source, target, count=len(values), intensity_sum=round(sum(values), 2),
                       mean_intensity=round(sum(values) / len(values), 2),
                       cooperation=round(float(sum(v for v in values if v > 0)), 2),
                       conflict=round(float(sum(v for v in values if v < 0)), 2), **attributes)
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
