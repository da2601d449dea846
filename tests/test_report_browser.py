"""The report in a real browser: headless Debian Chromium, driven by Playwright, loading it from file://."""
import subprocess
import sys

import pytest

from conftest import ROOT
from pipeline import browser, load

pytestmark = pytest.mark.skipif(browser.chromium_path() is None, reason="chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def site(small_site):
    return small_site


@pytest.fixture(scope="module")
def page():
    with browser.browser_page() as page:
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        yield page


def test_overview_images_load_and_nothing_logs_an_error(site, page):
    page.goto((site / "index.html").as_uri())
    widths = page.eval_on_selector_all("img", "images => images.map(i => i.complete ? i.naturalWidth : 0)")
    assert len(widths) == 5 and all(w > 0 for w in widths), widths
    assert page.console_errors == []
    assert page.requested and all(url.startswith("file://") for url in page.requested), "no network request"
    assert any(url.endswith("/assets/report.js") for url in page.requested)


def test_article_shows_the_entities_with_their_labels(site, page, small_run):
    page.goto((site / "articles" / "000_dbd9b23d20324659.html").as_uri())
    marks = page.eval_on_selector_all(
        "mark.entity", "ms => ms.map(m => [m.dataset.label, m.querySelector('.entity-label').textContent,"
                       " m.firstChild.textContent])")
    mentions = load("mentions", small_run, filters=[("doc_id", "=", "000_dbd9b23d20324659")])
    assert len(marks) == len(mentions)
    assert all(label == shown for label, shown, _ in marks)
    assert ["LEADER", "LEADER", "Tô Lâm"] in marks and ["PLACE", "PLACE", "Lào"] in marks
    assert {label for label, _, _ in marks} == {"LEADER", "PLACE", "ORG", "PROJECT", "AMOUNT", "YEAR"}
    colour = page.eval_on_selector('mark[data-label="LEADER"]', "m => getComputedStyle(m).backgroundColor")
    assert colour == "rgb(255, 179, 186)"  # display.LABEL_COLORS["LEADER"]
    assert page.console_errors == []


def test_hostile_markup_is_shown_as_text_and_never_runs(site, page):
    page.goto((site / "articles" / "hostile.html").as_uri())
    body = page.inner_text(".article")
    assert "<script>alert('x')</script>" in body and "<img src=x onerror=alert(1)>" in body
    assert page.locator(".article img, .article script").count() == 0
    assert page.dialogs == [] and page.console_errors == []


def test_entity_links_lead_to_the_mention_in_its_article(site, page, small_run):
    entities = load("entities", small_run)
    viengchan = entities[entities.canonical == "Viêng Chăn"].entity_id.item()
    page.goto((site / "entities" / f"{viengchan}.html").as_uri())
    links = page.locator("a.mention-link")
    assert links.count() == entities[entities.entity_id == viengchan].n_mentions.item()
    links.nth(1).click()
    page.wait_for_load_state("load")
    anchor = page.evaluate("location.hash.slice(1)")
    target = page.locator(":target")
    assert target.get_attribute("id") == anchor and target.get_attribute("data-label") == "PLACE"
    assert target.locator("a.entity-link").get_attribute("href") == f"../entities/{viengchan}.html"
    start, end = map(int, anchor.split("-")[1:])
    doc_id = page.evaluate("location.pathname.split('/').pop()").removesuffix(".html")
    text = load("documents", small_run, filters=[("doc_id", "=", doc_id)]).text.item()
    assert target.locator("a.entity-link").inner_text() == text[start:end]
    target.locator("a.entity-link").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/entities/{viengchan}.html") and page.console_errors == []


def test_the_entity_filter_hides_rows_that_do_not_match(site, page):
    page.goto((site / "entities" / "index.html").as_uri())
    total = page.locator("table.filterable tbody tr").count()
    page.fill("#filter", "viêng")
    visible = page.locator("table.filterable tbody tr:not([hidden])")
    assert 0 < visible.count() < total and "Viêng Chăn" in visible.first.inner_text()
    assert page.console_errors == []


def test_report_screenshot_saves_pngs(site, tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline", "report-screenshot", "--report", str(site),
                             "--to", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in ("overview", "article"):
        png = (tmp_path / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 20_000


def test_the_console_check_sees_errors(page):
    page.goto("data:text/html,<p>x</p><script>console.error('seen')</script>")
    seen, page.console_errors[:] = list(page.console_errors), []
    assert seen == ["seen"]
