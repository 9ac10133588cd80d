"""The web page in a real headless Chromium (Debian's ``chromium``), driven by Playwright.

The server runs in a thread on a free loopback port over an index of the bundled sample.
Screenshots go to ``$UNSPIN_SCREENSHOT_DIR`` when it is set (``docs/`` for the README's),
else to the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

CHROMIUM = os.environ.get("UNSPIN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's 'chromium' package (apt-get install chromium) "
                "or set UNSPIN_CHROMIUM", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
pytest.importorskip("fastapi", reason="the server's extra is not installed (pip install -e '.[serve]')")

from unspin.index import Index  # noqa: E402
from unspin.read import read_documents  # noqa: E402
from unspin.web.server import create_app, running  # noqa: E402

TOKEN = "browser-test-token"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
CORAL = "sources/coral-heat-study.txt"  # ids are paths from the folder holding the folder indexed


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("browser") / "index.db"
    documents = [d for d in read_documents([str(SAMPLES / "sources")]) if not hasattr(d, "error")]
    with Index(db) as index:
        list(index.add(documents))
    with running(create_app(str(db), token=TOKEN)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, base_url=base_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A 4xx answer is logged as "Failed to load resource": expected where a test sends bad input.
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    foreign: list[str] = []  # every asset must come from unspin itself: no CDN
    page.on("request", lambda request: foreign.append(request.url)
            if not request.url.startswith((base_url, "data:", "blob:")) else None)
    yield page
    context.close()
    assert not errors, f"errors in the page: {errors}"
    assert not foreign, f"requests outside the server: {foreign}"


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("UNSPIN_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_text(page, text: str) -> None:
    page.goto("/")
    page.fill("#check-text", text)
    page.click("#check-button")


def test_spun_copy_shows_its_source_side_by_side(page, shots):
    page.goto("/")
    sync_api.expect(page.locator("#check-empty")).to_be_visible()  # the empty state first
    check_text(page, (SAMPLES / "suspects" / "spun-light.txt").read_text(encoding="utf-8"))

    banner = page.locator("#verdict-banner")
    sync_api.expect(banner.locator(".verdict")).to_have_text("spun", timeout=30_000)
    first = page.locator(".match").first
    sync_api.expect(first).to_have_attribute("data-source", CORAL)
    sync_api.expect(first).to_have_class("match open")

    # Side by side: the source's text arrives, passages are highlighted on both sides, and
    # the swapped words are marked: <ins> in the suspect, <del> in the source.
    suspect, source = page.locator("#pane-suspect"), page.locator("#pane-source")
    sync_api.expect(source.locator("mark").first).to_be_visible()
    assert suspect.locator("mark").count() >= 1 and source.locator("mark").count() >= 1
    swaps_in, swaps_out = suspect.locator("ins"), source.locator("del")
    assert swaps_in.count() >= 5 and swaps_out.count() >= 5
    first_swap = swaps_in.first
    was = first_swap.get_attribute("title")
    assert was.startswith("was: ") and was[5:] != first_swap.inner_text()
    assert suspect.locator("ins", has_text=first_swap.inner_text()).count() >= 1
    coral = (SAMPLES / CORAL).read_text(encoding="utf-8")
    assert all(swaps_out.nth(n).inner_text() in coral for n in range(swaps_out.count()))

    # Clicking a passage brings both texts to it.
    last = suspect.locator("mark").last
    last.click()
    focused = page.locator("mark.focus")
    sync_api.expect(focused).to_have_count(2)
    k = last.get_attribute("data-k")
    sync_api.expect(source.locator(f"mark.focus[data-k='{k}']")).to_have_count(1)
    page.wait_for_function(
        "() => { const p = document.querySelector('#pane-source'), m = p.querySelector('mark.focus');"
        " const a = p.getBoundingClientRect(), b = m.getBoundingClientRect();"
        " return b.top >= a.top - 1 && b.top < a.bottom; }")
    page.click("#next-passage")
    sync_api.expect(page.locator("#passage-pos")).to_contain_text("passage")

    # The screenshot: the match opened afresh, both texts from the top.
    first.click()
    sync_api.expect(source.locator("mark").first).to_be_visible()
    sync_api.expect(page.locator("mark.focus")).to_have_count(0)
    page.evaluate("window.scrollTo(0, document.querySelector('#result').offsetTop - 16)")
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / "screenshot.png"))
    assert (shots / "screenshot.png").stat().st_size > 10_000


def test_original_text_says_so(page):
    check_text(page, (SAMPLES / "suspects" / "original.txt").read_text(encoding="utf-8"))
    sync_api.expect(page.locator("#verdict-banner .verdict")).to_have_text("original", timeout=30_000)
    sync_api.expect(page.locator("#verdict-banner")).to_contain_text("sources searched")
    assert page.locator(".match").count() == 0
    assert page.locator("#compare").is_hidden()


def test_errors_are_shown(page):
    page.goto("/")
    page.click("#check-button")  # nothing pasted
    status = page.locator("#check-status")
    sync_api.expect(status).to_have_class("status error")
    sync_api.expect(status).to_contain_text("Paste a text")
    # A file the server cannot read: its answer is shown, naming the file.
    page.set_input_files("#check-file", files=[{"name": "photo.txt", "mimeType": "text/plain",
                                                "buffer": bytes(range(256)) * 8}])
    sync_api.expect(page.locator("#check-file-name")).to_contain_text("photo.txt")
    page.click("#check-button")
    sync_api.expect(status).to_contain_text("photo.txt: binary content", timeout=30_000)
    sync_api.expect(status).to_have_class("status error")


def test_dropped_file_is_checked(page):
    page.goto("/")
    html = (SAMPLES / "suspects" / "copy-verbatim.html").read_bytes()
    page.set_input_files("#check-file", files=[{"name": "farm.html", "mimeType": "text/html", "buffer": html}])
    page.click("#check-button")
    sync_api.expect(page.locator("#verdict-banner .verdict")).to_have_text("copy", timeout=30_000)
    sync_api.expect(page.locator(".match").first).to_have_attribute(
        "data-source", "https://www.harbourline-news.example/technology/2026/03/18/quillon-offline-translator-phone")


def test_add_a_source_through_the_page_then_find_it(page, shots):
    page.goto("/#/sources")
    sync_api.expect(page.locator("#source-list li").first).to_be_visible()
    sync_api.expect(page.locator("#token-field")).to_be_visible()  # this server has a token

    article = ("Lighthouse keepers return to Skerrow Point after forty years\n\n"
               "For the first time since 1986, two keepers will live at the Skerrow Point lighthouse this winter, "
               "after the coastal trust that owns it decided that automation alone could not protect the "
               "listed building from storms. Ellen Marsh and Tomas Vey, both former fishermen, start on "
               "1 November and will stay until the end of March. The trust said the keepers would check the "
               "lamp, log the weather every three hours and repair storm damage before it spread. "
               "Visitors will be able to tour the tower on Sundays, when the keepers will show the logbooks "
               "kept by their predecessors between 1871 and 1986.")
    page.fill("#add-id", "lighthouse-keepers")
    page.fill("#add-text", article)
    page.fill("#token", "wrong token")
    page.click("#add-button")
    status = page.locator("#add-status")
    sync_api.expect(status).to_contain_text("needs its token", timeout=30_000)

    page.fill("#token", TOKEN)
    page.click("#add-button")
    sync_api.expect(status).to_contain_text("lighthouse-keepers (added)", timeout=30_000)
    sync_api.expect(status).to_have_class("status ok")

    page.fill("#search", "lighthouse")
    page.click("#search-form button")
    sync_api.expect(page.locator("#source-list li")).to_have_count(1)
    sync_api.expect(page.locator("#source-list li")).to_have_attribute("data-id", "lighthouse-keepers")
    page.click("#source-list li >> text=View")
    sync_api.expect(page.locator("#source-view-text")).to_contain_text("Skerrow Point lighthouse")

    # The new source is found at once: a spun copy of it traces back to it.
    spun = (article.replace("keepers", "custodians").replace("decided", "concluded").replace("storms", "gales")
            .replace("start", "begin").replace("repair", "mend").replace("Visitors", "Tourists"))
    page.goto("/#/check")
    page.fill("#check-text", spun)
    page.click("#check-button")
    sync_api.expect(page.locator(".match").first).to_have_attribute("data-source", "lighthouse-keepers", timeout=30_000)
    sync_api.expect(page.locator("#pane-suspect ins", has_text="custodians").first).to_be_visible()

    page.goto("/#/sources")
    page.fill("#search", "no such source at all")
    page.click("#search-form button")
    sync_api.expect(page.locator("#sources-status")).to_contain_text("No source matches")


def test_narrow_screen(browser, base_url, shots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url, is_mobile=True,
                                  device_scale_factor=2, has_touch=True)
    page = context.new_page()
    try:
        check_text(page, (SAMPLES / "suspects" / "spun-light.txt").read_text(encoding="utf-8"))
        sync_api.expect(page.locator("#pane-source mark").first).to_be_visible(timeout=30_000)
        suspect = page.locator("#pane-suspect").bounding_box()
        source = page.locator("#pane-source").bounding_box()
        assert source["y"] > suspect["y"] + suspect["height"] - 1, "the two texts should stack on a narrow screen"
        assert page.evaluate("document.documentElement.scrollWidth") <= 391, "nothing should scroll sideways"
        page.locator("#compare").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "screenshot-narrow.png"))
    finally:
        context.close()


def test_api_docs_render_offline(page):
    page.goto("/docs")
    sync_api.expect(page.locator(".swagger-ui .title").first).to_contain_text("unspin", timeout=30_000)
    sync_api.expect(page.locator(".opblock-summary-path", has_text="/check").first).to_be_visible()


def test_empty_index(browser, tmp_path):
    with running(create_app(str(tmp_path / "empty.db"))) as url:
        context = browser.new_context(base_url=url)
        page = context.new_page()
        try:
            page.goto("/#/sources")
            sync_api.expect(page.locator("#sources-status")).to_contain_text("The index is empty")
            sync_api.expect(page.locator("#token-field")).to_be_hidden()  # no token on this server
            page.goto("/#/check")
            page.fill("#check-text", (SAMPLES / "suspects" / "spun-light.txt").read_text(encoding="utf-8"))
            page.click("#check-button")
            sync_api.expect(page.locator("#verdict-banner")).to_contain_text("0 sources searched", timeout=30_000)
        finally:
            context.close()


def test_a_shared_quotation_is_shown_but_the_text_stays_original(page, shots):
    check_text(page, (SAMPLES / "suspects" / "same-event.txt").read_text(encoding="utf-8"))
    sync_api.expect(page.locator("#verdict-banner .verdict")).to_have_text("original", timeout=30_000)
    note = page.locator("#verdict-banner .shared-quotes")
    sync_api.expect(note).to_contain_text("It shares a quotation with Harbour Bridge to close for nine weeks")
    sync_api.expect(note).to_contain_text("not counted as copying")
    assert page.locator(".match").count() == 0
    page.screenshot(path=str(shots / "shared-quote.png"))
