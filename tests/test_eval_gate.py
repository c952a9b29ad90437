"""Accuracy floors (tests/floors.json), pinned on the frozen held-out set and the peer suites with margins below
the measured figures: CI fails when a figure drops below its floor. The sample reports are development data and
carry only loose floors that catch a broken pipeline, not a fitted one."""

import json
from pathlib import Path

import pytest

from dyadwatch.quality import heldout_folders, measure
from tests.conftest import REPO, SEEDS, SHARED

HELDOUT_SETS = heldout_folders(REPO / "data")
HELDOUT = HELDOUT_SETS["held-out"]
LATER_HELDOUT = {name: folder for name, folder in HELDOUT_SETS.items() if folder != HELDOUT}

LIMITS = json.loads((Path(__file__).parent / "floors.json").read_text(encoding="utf-8"))
FLOORS: dict[str, float] = LIMITS["floors"]
CEILINGS: dict[str, float] = LIMITS["ceilings"]  # figures where lower is better (calibration error)


@pytest.fixture(scope="module")
def figures(extractor) -> dict[str, float]:
    if not SEEDS.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED}")
    return measure(SHARED, HELDOUT, extractor, train=REPO / "data" / "train", later=LATER_HELDOUT)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_figure_is_not_below_its_floor(figures: dict[str, float], name: str):
    assert figures[name] >= FLOORS[name], f"{name} fell to {figures[name]:.3f}, floor {FLOORS[name]:.3f}"


@pytest.mark.parametrize("name", sorted(CEILINGS))
def test_figure_is_not_above_its_ceiling(figures: dict[str, float], name: str):
    assert figures[name] <= CEILINGS[name], f"{name} rose to {figures[name]:.3f}, ceiling {CEILINGS[name]:.3f}"


def test_every_limit_names_a_measured_figure(figures: dict[str, float]):
    assert set(FLOORS) | set(CEILINGS) <= set(figures)
