"""A real browser for page tests: Debian's chromium driven by Playwright, checked by axe.

Never downloads a browser: the executable is /usr/bin/chromium (apt install chromium), or
MPP_CHROMIUM. Screenshots go to var/artifacts/screenshots/ for people to look at.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("MPP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A page the size of a cheap phone (360 px wide), in Bahasa Indonesia."""
    context = browser.new_context(viewport=PHONE, locale="id-ID", device_scale_factor=1)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page: Page) -> None:
    """Fail on any serious or critical axe violation, naming the rule and the elements."""
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    details = "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in blocking
    )
    assert not blocking, f"axe found serious/critical violations on {page.url}:\n{details}"


def assert_fits_width(page: Page) -> None:
    """Nothing wider than the viewport: no sideways scrolling on a 360 px phone."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {page.viewport_size}"


def save_screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
