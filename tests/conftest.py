"""Shared fixtures: the real pipeline and real SQLite databases, built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from dyadwatch.ingest.service import ingest
from dyadwatch.pipeline import Extractor
from dyadwatch.store.database import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold"
DEMO = REPO / "examples" / "belarus-russia"

# Property tests: 1,000 examples each in CI; `make fuzz` runs them with FUZZ_EXAMPLES (10,000 by default).
PROPERTY_SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("ci", max_examples=1000, database=None, **PROPERTY_SETTINGS)
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10000")), **PROPERTY_SETTINGS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not SEEDS.is_dir():
        skip = pytest.mark.skip(reason=f"sample corpus not found at {SEEDS}")
        for item in items:
            if "seeds" in item.fixturenames or "seeds_store" in item.fixturenames:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Store:
    store = Store(str(tmp_path_factory.mktemp("seeds") / "seeds.db"))
    report = ingest(store, [SEEDS], extractor)
    assert report.ok, report.errors
    return store


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Store:
    store = Store(str(tmp_path_factory.mktemp("demo") / "demo.db"))
    report = ingest(store, [DEMO], extractor)
    assert report.ok, report.errors
    return store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(str(tmp_path / "test.db"))


def store_of_reports(folder: Path, reports: dict[str, str], extractor: Extractor, name: str) -> Store:
    """Hand-written reports (file name -> text) written to `folder` and ingested into a fresh database there."""
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, text in reports.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    store = Store(str(folder / name))
    report = ingest(store, [folder], extractor)
    assert report.ok and report.documents == len(reports), report.errors
    return store
