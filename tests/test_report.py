import re
from pathlib import Path

from dyadwatch.ingest.service import ingest
from dyadwatch.reconcile.stories import StoryFilter
from dyadwatch.reconcile.story_listing import story_listing
from dyadwatch.report import TOP_STORIES, write_report
from dyadwatch.store.database import Store
from tests.conftest import store_of_reports

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
    listed = story_listing(demo_store, StoryFilter(), limit=TOP_STORIES, facets=False).stories
    negated = [s for s in listed if s.negated]
    assert negated and html.count(" (not)</td>") == len(negated)


DISAGREEING = {
    "early.txt": "Aid bulletin\n\n10.07.2021\n\nOn 3 June 2021 Russia disbursed the fourth USD 450 million tranche of "
                 "its loan to Belarus.\n",
    "later.txt": "Quarterly notes\n\n15.07.2021\n\nOn 24 June 2021 Russia disbursed the fourth USD 450 million "
                 "tranche of its loan to Belarus. Poland criticised Belarus over the border on 2 July 2021.\n",
}


def test_the_report_shows_disagreements_and_says_what_each_section_leaves_out(tmp_path: Path, extractor,
                                                                               monkeypatch):
    store = store_of_reports(tmp_path, DISAGREEING, extractor, str(tmp_path / "d.db"))
    monkeypatch.setattr("dyadwatch.report.TOP_STORIES", 1)
    monkeypatch.setattr("dyadwatch.report.LISTED", 1)
    html = write_report(store, tmp_path / "d.html").read_text(encoding="utf-8")
    disagreement = html[html.index("Where sources disagree"):]
    assert "2021-06-03 (early.txt)" in disagreement and "2021-06-24 (later.txt)" in disagreement
    stories = len(story_listing(store, StoryFilter()).stories)
    assert stories > 1 and f"1 of {stories} stories." in html
    assert "1 of 2 documents." in html and html.count("<td class=\"muted\">later.txt</td>") == 1
