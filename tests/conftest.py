"""Shared fixtures: the real pipeline and real databases, built once per test session.

Every database a test makes comes from the `databases` fixture, of the session's `backend`: SQLite for every
test, and PostgreSQL too (a throw-away cluster, tests/postgres.py) for the tests marked `both_backends`.
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Integer, insert, select, text

from dyadwatch import settings as dyadwatch_settings
from dyadwatch.ingest.service import ingest
from dyadwatch.pipeline import Extractor
from dyadwatch.store import schema
from dyadwatch.store.database import Store
from dyadwatch.store.postgres_cluster import Cluster, binaries, start_cluster

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


BACKENDS = ("sqlite", "postgresql")
# The tables whose integer ids the database assigns (a sequence on PostgreSQL).
SERIAL_TABLES = tuple(table.name for table in schema.metadata.sorted_tables
                      if [c.name for c in table.primary_key.columns] == ["id"]
                      and isinstance(table.c.id.type, Integer))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that uses a database runs on SQLite, and on PostgreSQL as well when marked `both_backends`."""
    if "backend" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_backends") is not None
        metafunc.parametrize("backend", BACKENDS if both else BACKENDS[:1], indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A PostgreSQL cluster of its own for the session, removed at the end."""
    folder = binaries()
    if folder is None:
        pytest.skip("PostgreSQL is not installed (`make test` installs Debian's postgresql)")
    cluster = start_cluster(folder)
    yield cluster
    cluster.stop()


@dataclass
class Databases:
    """New databases of one backend: a file in a temporary folder, or a database in the session's cluster."""

    backend: str
    folder: Path
    cluster: Cluster | None
    numbers: Iterator[int] = field(default_factory=itertools.count)

    def new(self, name: str) -> str:
        """The URL of a new, empty database; `name` only makes it recognisable."""
        if self.cluster is None:
            return str(self.folder / f"{name}-{next(self.numbers)}.db")
        return self.cluster.create_database(self._database_name(name))

    def copy(self, store: Store, name: str) -> Store:
        """A new database of the same backend holding what `store` holds."""
        if self.cluster is None:
            target = self.folder / f"{name}-{next(self.numbers)}.db"
            with sqlite3.connect(store.engine.url.database or "") as source, sqlite3.connect(target) as copy:
                source.backup(copy)  # SQLite's backup API, safe under WAL
            return Store(str(target))
        # Row by row: PostgreSQL copies a database as a template only while nobody is connected to it, and the
        # web tests' apps stay connected to the demo database.
        copy = Store(self.cluster.create_database(self._database_name(name)))
        with store.connect() as source, copy.write() as target:
            for table in schema.metadata.sorted_tables:
                rows = [dict(row._mapping) for row in source.execute(select(table))]
                if rows:
                    target.execute(insert(table), rows)
            for table in SERIAL_TABLES:  # the copied ids were given, so the sequences must be moved past them
                target.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"coalesce(max(id), 0) + 1, false) FROM {table}"))
        return copy

    def _database_name(self, name: str) -> str:
        return f"{re.sub(r'[^a-z0-9]+', '_', name.lower())}_{next(self.numbers)}"


@pytest.fixture(scope="session")
def databases(backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Databases:
    cluster = request.getfixturevalue("postgres") if backend == "postgresql" else None
    return Databases(backend, tmp_path_factory.mktemp(f"{backend}-databases"), cluster)


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def seeds_store(databases: Databases, extractor: Extractor) -> Store:
    store = Store(databases.new("seeds"))
    report = ingest(store, [SEEDS], extractor)
    assert report.ok, report.errors
    return store


@pytest.fixture(scope="session")
def demo_store(databases: Databases, extractor: Extractor) -> Store:
    store = Store(databases.new("demo"))
    report = ingest(store, [DEMO], extractor)
    assert report.ok, report.errors
    return store


@pytest.fixture
def store(databases: Databases) -> Iterator[Store]:
    store = Store(databases.new("test"))
    yield store
    store.close()


def store_of_reports(folder: Path, reports: dict[str, str], extractor: Extractor, url: str) -> Store:
    """Hand-written reports (file name -> text) written to `folder` and ingested into a fresh database at `url`."""
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, report in reports.items():
        (folder / file_name).write_text(report, encoding="utf-8")
    store = Store(url)
    report = ingest(store, [folder], extractor)
    assert report.ok and report.documents == len(reports), report.errors
    return store


def ranking_at_most(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """The search_ranked_at_most setting set to `count` for one test."""
    monkeypatch.setattr(dyadwatch_settings, "SETTINGS", tuple(
        replace(s, default=count) if s.name == "search_ranked_at_most" else s for s in dyadwatch_settings.SETTINGS))


def reopened_as_at(store: Store, revision: str, *statements: str) -> Store:
    """The store opened again as if made at `revision`: the SQL `statements` undo what later revisions stored, and
    those revisions run on opening."""
    with store.write() as conn:
        for statement in statements:
            conn.execute(text(statement))
        conn.execute(text("UPDATE alembic_version SET version_num = :revision"), {"revision": revision})
    store.close()
    return Store(store.url)
