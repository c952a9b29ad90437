"""The accuracy floors reached so far (tests/floors.json): CI fails when a figure drops below its floor."""

import json
from pathlib import Path

import pytest

from dyadwatch.quality import measure
from tests.conftest import SEEDS, SHARED

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figures(extractor) -> dict[str, float]:
    if not SEEDS.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED}")
    return measure(SHARED, extractor)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_figure_is_not_below_its_floor(figures: dict[str, float], name: str):
    assert figures[name] >= FLOORS[name], f"{name} fell to {figures[name]:.3f}, floor {FLOORS[name]:.3f}"
