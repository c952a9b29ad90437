import re
from pathlib import Path

from dyadwatch.ingest.service import ingest
from dyadwatch.report import write_report
from dyadwatch.store.database import Store

HOSTILE = ("Transit <script>alert(1)</script> notes\n\n12.05.2021\n\n"
           "On 3 May 2021 Russia lent Belarus USD 500 million <img src=x onerror=alert(2)>.\n")


def test_the_report_is_self_contained_and_escapes_document_text(tmp_path: Path, extractor):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    store = Store(str(tmp_path / "r.db"))
    ingest(store, [inbox], extractor)
    html = write_report(store, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;" in html
    assert not re.search(r"""(src|href)=["']?https?://""", html)
    assert "data:image/png;base64," in html and "500,000,000" in html


def test_the_demo_report_lists_stories_and_figures(demo_store: Store, tmp_path: Path):
    html = write_report(demo_store, tmp_path / "demo.html").read_text(encoding="utf-8")
    assert html.count("<tr>") > 50 and "Stories (most reported first)" in html
