"""The real app in a real headless Chromium: every page, the filters, search, reviews, and no injected script.

The app runs under uvicorn in a background thread on a free loopback port, over
a copy of the demo database plus a document whose text carries <script> and
onerror= payloads. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect, sync_playwright

from dyadwatch.analysis.forecasts import forecasts
from dyadwatch.reconcile.stories import build_stories
from dyadwatch.reconcile.stories import story as find_story
from dyadwatch.store import queries
from dyadwatch.store.database import Store
from dyadwatch.web.app import LOOPBACK_HOSTS, create_app
from dyadwatch.web.context import indicator_url
from dyadwatch.web.pages import SPLIT_FIELD
from tests.conftest import REPO
from tests.recomputed import every_indicator as indicators
from tests.served import free_port
from tests.web.conftest import PAYLOAD_NAME, TOKEN, copy_of

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
SCREENSHOTS = REPO / "test-output" / "screenshots"
STARTUP_SECONDS = 10
PWNED = "window.dyadwatchPwned === undefined"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}: `apt-get install chromium` "
                                                               "(make installs it) to run the browser tests")


@pytest.fixture(scope="module")
def browser_store(tmp_path_factory: pytest.TempPathFactory, demo_with_payload: Store) -> Store:
    """A private copy: the review test writes to it."""
    return copy_of(demo_with_payload, tmp_path_factory.mktemp("browser") / "browser.db")


@pytest.fixture(scope="module")
def server(browser_store: Store) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1 in a thread; yields its base URL and stops it afterwards."""
    port = free_port()
    app = create_app(browser_store.url, token=TOKEN, allowed_hosts=LOOPBACK_HOSTS)
    config = uvicorn.Config(app, host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=STARTUP_SECONDS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page with every dialog, uncaught error and CSP report it raised, to assert none happened."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.page.evaluate(PWNED), "an injected script ran"
        assert self.errors == [], self.errors


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page())
    yield watched
    watched.assert_clean()
    context.close()


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_every_page_renders_and_no_injected_script_runs(server: str, watched: Watched, browser_store: Store):
    page = watched.page
    event = queries.events(browser_store)[0]
    hostile_event = queries.events(browser_store, queries.EventFilter(doc=PAYLOAD_NAME))[0]
    series = indicators(browser_store)[0]
    pages = {
        "overview": ("/", "Overview"), "timeline": ("/timeline", "Timeline"),
        "event": (f"/events/{event.id}", event.type), "hostile-event": (f"/events/{hostile_event.id}", "AGREE"),
        "documents": ("/documents", "Documents"), "hostile-document": (f"/documents/{PAYLOAD_NAME}", "Gas deal"),
        "document": (f"/documents/{event.doc}", ""), "actors": ("/actors", "Actors"),
        "actor": ("/actors/BLR", "Belarus"), "figures": ("/figures", "Figures"),
        "claims": ("/claims", "Forecasts and recommendations"), "search": ("/search?q=alert+script", "Search"),
        "stories": ("/stories", "Stories"), "indicators": ("/indicators", "Indicators"),
        "indicator": (indicator_url(series.key), series.measure), "agreements": ("/agreements", "Agreements"),
        "forecasts": ("/forecasts", "Forecasts"), "sources": ("/sources", "Sources"),
        "actor-roles": ("/actors/BLR-GOV", "BLR-GOV"), "dyad": ("/dyad?a=RUS&b=BLR", "RUS ⇄ BLR"),
        "queue": ("/queue", "Review queue"),
    }
    for name, (path, heading) in pages.items():
        response = page.goto(server + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("h1")).to_contain_text(heading)
        if page.locator("[data-chart]").count():
            # Plotly comes from the installed package through /static and draws under the strict CSP.
            page.locator("[data-chart] .main-svg").first.wait_for(timeout=10_000)
        if name == "actor-roles":
            page.locator("section.roles").scroll_into_view_if_needed()
            page.locator("#roles-chart .main-svg").first.wait_for(timeout=10_000)
        shoot(page, name)
        watched.assert_clean()


def test_hostile_text_shows_as_text(server: str, watched: Watched):
    page = watched.page
    page.goto(f"{server}/documents/{PAYLOAD_NAME}")
    text = page.locator(".doc-text")
    expect(text).to_contain_text("<script>window.dyadwatchPwned = true; alert(1)</script>")
    expect(text).to_contain_text('<img src=x onerror="window.dyadwatchPwned = true; alert(2)">')
    assert text.locator("script, img").count() == 0
    assert page.locator("mark.hl-event").count() > 0
    expect(page).to_have_title("Gas deal <script>alert(1)</script> and loans · dyadwatch")
    page.locator(".doc-text mark").first.hover()
    watched.assert_clean()


def test_timeline_filters_narrow_the_list(server: str, watched: Watched):
    page = watched.page
    page.goto(f"{server}/timeline")
    everything = int(page.locator("#event-count").inner_text())
    page.select_option("select[name=domain]", "energy")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/timeline?*domain=energy*")
    energy = int(page.locator("#event-count").inner_text())
    assert 0 < energy < everything
    domains = page.locator("table.events tbody tr td:nth-child(5)").all_inner_texts()
    assert domains and set(domains) == {"energy"}
    page.fill("input[name=actor]", "RUS")
    page.fill("input[name=since]", "2020")
    page.fill("input[name=until]", "2020-12")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**actor=RUS**")
    narrowed = int(page.locator("#event-count").inner_text())
    assert narrowed <= energy
    dates = page.locator("table.events tbody tr td:nth-child(1)").all_inner_texts()
    assert all(d.startswith("2020") for d in dates)
    shoot(page, "timeline-filtered")
    page.locator("a.event-link").first.click()
    page.wait_for_url("**/events/e*")
    expect(page.locator("mark.hl-evidence").first).to_be_visible()


def test_search_form_finds_sentences_and_opens_the_hit(server: str, watched: Watched):
    page = watched.page
    page.goto(server + "/")
    page.fill("header input[name=q]", "oil supply")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=oil+supply")
    assert int(page.locator("#result-count").inner_text()) > 0
    shoot(page, "search-results")
    page.locator(".results .meta a").first.click()
    page.wait_for_url("**/documents/**")
    expect(page.locator("mark.hl-hit").first).to_be_visible()
    shoot(page, "search-hit")


def test_review_needs_the_token(server: str, watched: Watched, browser_store: Store):
    page = watched.page
    event = queries.events(browser_store)[1]
    page.goto(f"{server}/events/{event.id}")
    page.check("input[name=action][value=confirm]")
    page.fill("input[name=note]", "looked at the source")
    page.click("form.review-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Error 403")
    expect(page.locator(".error-message")).to_contain_text("write token")
    shoot(page, "review-refused")
    assert queries.event(browser_store, event.id).review == ""

    page.goto(f"{server}/events/{event.id}")
    page.check("input[name=action][value=confirm]")
    page.fill("input[name=token]", TOKEN)
    page.click("form.review-form button[type=submit]")
    page.wait_for_url(f"**/events/{event.id}?reviewed=confirm")
    expect(page.locator(".notice")).to_contain_text("Review saved: confirm")
    shoot(page, "review-saved")
    assert queries.event(browser_store, event.id).review == "confirm"


def test_forecast_status_form_needs_the_token(server: str, watched: Watched, browser_store: Store):
    page = watched.page
    claim_id = forecasts(browser_store)[-1].claim_id
    form = page.locator(f"#forecast-{claim_id} form.status-form")
    page.goto(f"{server}/forecasts")
    form.locator("input[name=set_status]").fill("fulfilled")
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Error 403")
    assert next(f for f in forecasts(browser_store) if f.claim_id == claim_id).status_by == "computed"

    page.goto(f"{server}/forecasts")
    form.locator("input[name=set_status]").fill("fulfilled")
    form.locator("input[name=token]").fill(TOKEN)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/forecasts?reviewed=correct*")
    expect(page.locator(".notice")).to_contain_text("Status saved")
    expect(page.locator(f"#forecast-{claim_id} .badge.status")).to_have_text("fulfilled")
    page.locator(f"#forecast-{claim_id}").scroll_into_view_if_needed()
    shoot(page, "forecast-status-saved")
    assert next(f for f in forecasts(browser_store) if f.claim_id == claim_id).status == "fulfilled"


def test_login_once_then_review_the_queue_from_the_keyboard(server: str, watched: Watched, browser_store: Store):
    page = watched.page
    page.goto(f"{server}/queue")
    shoot(page, "queue")
    first = queries.review_queue(browser_store, 1)[0]
    page.locator(f'a.event-link[href="/events/{first.id}"]').click()
    page.wait_for_url(f"**/events/{first.id}")
    page.get_by_text("or log in once for this browser").click()
    page.wait_for_url("**/login?next=**")
    page.fill("input[name=token]", TOKEN)
    shoot(page, "login")
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"**/events/{first.id}")
    expect(page.locator("#review-session")).to_be_visible()
    assert page.locator("input[name=token]").count() == 0
    page.keyboard.press("c")
    page.wait_for_url(f"**/events/{first.id}?reviewed=confirm")
    assert queries.event(browser_store, first.id).review == "confirm"
    shoot(page, "review-by-key")
    following = queries.review_queue(browser_store, 1)[0]
    page.keyboard.press("n")
    page.wait_for_url(f"**/events/{following.id}")
    page.keyboard.press("x")
    page.wait_for_url(f"**/events/{following.id}?reviewed=reject")
    assert queries.event(browser_store, following.id).review == "reject"
    page.fill("input[name=note]", "typing c here saves nothing")
    assert page.url.endswith("?reviewed=reject")


def test_facets_download_and_the_dyad_page(server: str, watched: Watched, browser_store: Store):
    page = watched.page
    page.goto(f"{server}/timeline")
    facet = page.locator('section[data-facet="domain"] li').first
    name, count = facet.locator("a").inner_text(), int(facet.locator(".muted").inner_text().replace(",", ""))
    facet.locator("a").click()
    page.wait_for_url(f"**domain={name}**")
    assert int(page.locator("#event-count").inner_text()) == count
    shoot(page, "timeline-facets")
    with page.expect_download() as download:
        page.click("#download-csv")
    rows = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("id,") and len(rows) == count + 1
    page.goto(f"{server}/dyad?a=RUS&b=BLR")
    page.locator("#dyad-chart .main-svg").first.wait_for(timeout=10_000)
    assert page.locator("#dyad-chart .bars path").count() > 0
    shoot(page, "dyad")
    page.locator("table.dyad-months a").first.click()
    page.wait_for_url("**month=*")
    assert int(page.locator("#dyad-event-count").inner_text()) > 0


def test_split_a_report_off_a_story_then_merge_it_back(server: str, watched: Watched, browser_store: Store):
    page = watched.page
    story = next(s for s in build_stories(browser_store) if len(s.reports) >= 2)
    leaving = story.reports[-1].event_id
    page.goto(f"{server}/stories/{story.id}")
    page.check(f"#split-form input[name='{SPLIT_FIELD}{leaving}']")
    page.fill("#split-form input[name=token]", TOKEN)
    page.click("#split-form button[type=submit]")
    page.wait_for_url(f"**/stories/{story.id}?reviewed=split")
    expect(page.locator(".notice")).to_contain_text("Saved: split")
    shoot(page, "story-split")
    apart = next(s for s in build_stories(browser_store) if leaving in {r.event_id for r in s.reports})
    assert apart.id != story.id and len(apart.reports) == 1

    page.goto(f"{server}/stories/{apart.id}")
    page.fill("#merge-form input[name=into]", story.id)
    page.fill("#merge-form input[name=token]", TOKEN)
    page.click("#merge-form button[type=submit]")
    page.wait_for_url(f"**/stories/{story.id}?reviewed=merge")
    expect(page.locator(".notice")).to_contain_text("Saved: merge")
    shoot(page, "story-merged")
    merged = find_story(browser_store, story.id)
    assert merged is not None and leaving in {r.event_id for r in merged.reports}
