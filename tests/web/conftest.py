"""Fixtures for the web tests: copies of the demo database (so reviews never touch the shared one) and a hostile
document whose text carries script and event-handler payloads."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from dyadwatch.ingest.service import ingest
from dyadwatch.pipeline import Extractor
from dyadwatch.store.database import Store
from tests.conftest import Databases

TOKEN = "test-write-token-123"
PAYLOAD_NAME = "payload-brief.txt"
# Third-party text as it may arrive: a title and sentences holding markup that must stay text.
PAYLOAD = (
    "Gas deal <script>alert(1)</script> and loans\n\n12.03.2021\n\n"
    "On 2 March, Russia and Belarus signed an agreement on gas supplies "
    "<script>window.dyadwatchPwned = true; alert(1)</script>. "
    "Moscow lent Minsk USD 500 million <img src=x onerror=\"window.dyadwatchPwned = true; alert(2)\">. "
    "Minsk should diversify its routes by 2025 \" onmouseover=\"alert(3).\n"
)
RAW_PAYLOADS = ("<script>alert(1)</script>", "<script>window.dyadwatchPwned", "<img src=x onerror",
                "<img src=\"x\"", "onmouseover=\"alert(3)")
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def copy_of(store: Store, target: Path) -> Store:
    """A new SQLite database at `target` holding what SQLite `store` holds (SQLite's backup API, safe under WAL);
    the tests that run on PostgreSQL too copy with `Databases.copy`."""
    source = sqlite3.connect(store.engine.url.database or "")
    destination = sqlite3.connect(target)
    with destination:
        source.backup(destination)
    source.close()
    destination.close()
    return Store(str(target))


@pytest.fixture(scope="session")
def payload_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / PAYLOAD_NAME
    path.write_text(PAYLOAD, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def demo_with_payload(databases: Databases, demo_store: Store, extractor: Extractor, payload_file: Path) -> Store:
    """The demo corpus plus the hostile document; read-only for the tests that use it."""
    store = databases.copy(demo_store, "demo-payload")
    report = ingest(store, [payload_file], extractor)
    assert report.ok and report.documents == 1, report.errors
    return store


def csrf_from(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "the page has no CSRF field"
    return found[1]
