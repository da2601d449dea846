"""Headless Chromium for the report: the system browser (Debian's `chromium`) driven by Playwright.

Never downloads a browser (`playwright install` is not needed): it launches `CHROMIUM` with flags that keep it
off the network. Returns PNG bytes; the CLI writes them.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """The system Chromium, or None when it is not installed."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


@contextmanager
def browser_page(width: int = 1280, height: int = 900):
    """A fresh page of a headless system Chromium; its console errors collect in `page.console_errors`, the
    URLs it requests in `page.requested`."""
    from playwright.sync_api import sync_playwright

    from .io import UserError

    executable = chromium_path()
    if executable is None:
        raise UserError("chromium not found: install Debian's `chromium` (see .ci/run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.console_errors, page.requested = [], []
            page.on("request", lambda request: page.requested.append(request.url))
            page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
            page.on("pageerror", lambda error: page.console_errors.append(str(error)))
            yield page
        finally:
            browser.close()


def screenshots(index: Path) -> dict[str, bytes]:
    """PNG screenshots of the report's overview (`overview`) and of its first article (`article`)."""
    with browser_page() as page:
        page.goto(Path(index).resolve().as_uri())
        overview = page.screenshot(full_page=True)
        page.goto((Path(index).resolve().parent / "articles" / "index.html").as_uri())
        first = page.locator("a.article-link").first
        first.click()
        page.wait_for_load_state("load")
        article = page.screenshot(full_page=True)
    return {"overview": overview, "article": article}
