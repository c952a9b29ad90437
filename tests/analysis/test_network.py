"""The actor network from stories: edges and nodes checked by their numbers, GraphML and GEXF files."""

import networkx as nx
import pytest

from dyadwatch.analysis.network import Tally, _actor_table, actor_network, network_of, write_network
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.store.database import Store
from tests.analysis.gas_reports import gas_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, extractor) -> Store:
    return gas_store(tmp_path_factory.mktemp("network"), extractor)


def test_each_story_counts_once_per_edge(store: Store):
    graph = actor_network(store)
    assert sorted(graph.nodes) == ["BLR", "RUS"]
    assert dict(graph.edges["RUS", "BLR"]) == {
        "count": 2, "count_AID": 1, "count_SANCTION": 1, "intensity_sum": 2.0, "mean_intensity": 1.0,
        "cooperation": 7.0, "conflict": -5.0}
    signing = graph.edges["BLR", "RUS"]  # reported by two documents, one story
    assert (signing["count"], signing["count_AGREE"], signing["mean_intensity"]) == (1, 1, 5.0)
    assert dict(graph.nodes["RUS"]) == {"name": "Russia", "kind": "state", "known_as": "Russia", "country": "RUS",
                                        "count": 3, "out_count": 2, "in_count": 1}


def test_graphml_and_gexf_files_hold_the_numbers(store: Store, tmp_path):
    graph = actor_network(store)
    path = write_network(graph, tmp_path / "actors.graphml")
    back = nx.read_graphml(path)
    assert back.edges["RUS", "BLR"]["count_SANCTION"] == 1 and back.edges["RUS", "BLR"]["mean_intensity"] == 1.0
    assert back.nodes["BLR"]["name"] == "Belarus"
    gexf = nx.read_gexf(write_network(graph, tmp_path / "actors.gexf"))
    assert gexf.number_of_edges() == 2
    with pytest.raises(ValueError, match="graphml"):
        write_network(graph, tmp_path / "actors.csv")


def test_demo_network_counts_every_story_with_two_actors_once(demo_store: Store, tmp_path):
    stories = [s for s in build_stories(demo_store) if not s.negated]
    graph = actor_network(demo_store)
    with_pair = [s for s in stories if s.source and s.target and s.source != s.target]
    assert sum(d["count"] for _, _, d in graph.edges(data=True)) == len(with_pair)
    assert graph.nodes["BLR-GOV"]["name"] == "Belarus: government"
    assert graph.nodes["EU"]["name"] == "European Union"
    countries = actor_network(demo_store, countries=True)
    assert countries.edges["RUS", "BLR"]["count"] >= 5 and countries.edges["BLR", "RUS"]["count"] >= 5
    # each country edge sums the stories between the two states, whatever the coder made of them
    between = [s for s in with_pair if s.source.split("-")[0] == "RUS" and s.target.split("-")[0] == "BLR"]
    edge = countries.edges["RUS", "BLR"]
    assert edge["count"] == len(between)
    assert edge["mean_intensity"] == round(sum(s.intensity for s in between) / len(between), 2)
    assert nx.read_graphml(write_network(graph, tmp_path / "demo.graphml")).number_of_edges() == graph.number_of_edges()


def test_seed_network(seeds_store: Store):
    graph = actor_network(seeds_store, countries=True)
    assert graph.has_edge("RUS", "BLR") and graph.has_edge("BLR", "RUS")
    for _, _, data in graph.edges(data=True):
        assert data["count"] == sum(v for k, v in data.items() if k.startswith("count_"))


@pytest.mark.parametrize("threshold", [0.0, 0.5])
def test_the_network_tallied_in_sql_is_that_of_every_story_built_whole(demo_store: Store, threshold: float):
    for countries in (False, True):
        tallied = actor_network(demo_store, countries, threshold)
        whole = network_of([Tally.of(s) for s in build_stories(demo_store, threshold) if not s.negated],
                           _actor_table(demo_store), countries)
        assert dict(tallied.nodes(data=True)) == dict(whole.nodes(data=True))
        assert {(a, b): d for a, b, d in tallied.edges(data=True)} == {(a, b): d for a, b, d in whole.edges(data=True)}
        assert tallied.number_of_edges() > 3
