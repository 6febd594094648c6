"""Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

- Chromium: RTM_BROWSER or /usr/bin/chromium; missing → skip locally, fail in CI
  (RTM_REQUIRE_SERVICES=1, via tests.realservices.unavailable).
- axe-core: RTM_AXE_JS or var/axe/node_modules/axe-core/axe.min.js (.ci/run installs it
  from the npm registry; locally this conftest runs the same npm command once).
  It is evaluated through the DevTools protocol, so the page's CSP stays enforced and
  CSP violations show up as console errors, which fail the test.
- Screenshots: var/screenshots/<test>/<name>.png (kept as CI artefacts).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.realservices import ROOT, WorkerProcess, require_postgres, unavailable

# live_server runs Django in a thread of this process while Playwright's sync API runs an
# event loop here; Django's async-safety check would refuse the ORM calls otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_VERSION = "4.14.1"
AXE_DEFAULT = ROOT / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


_SHARED: dict[str, object] = {}


def shared_browser() -> object:
    """One Playwright and one Chromium per test process.

    Several conftests import the `browser` fixture (tests/statements/browser, tests/voting,
    tests/public); pytest treats each import as its own session fixture, and a second
    sync_playwright() while the first runs fails ("Sync API inside the asyncio loop").
    """
    if "browser" not in _SHARED:
        executable = os.environ.get("RTM_BROWSER") or "/usr/bin/chromium"
        if not Path(executable).exists():
            unavailable(f"Chromium not found at {executable} (apt-get install chromium)")
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        _SHARED["browser"] = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
    return _SHARED["browser"]


def pytest_sessionfinish(session, exitstatus) -> None:
    browser = _SHARED.pop("browser", None)
    playwright = _SHARED.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    yield shared_browser()


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = Path(os.environ.get("RTM_AXE_JS") or AXE_DEFAULT)
    if not path.exists() and path == AXE_DEFAULT and shutil.which("npm"):
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(ROOT / "var" / "axe"),
                "--no-audit",
                "--no-fund",
                "--silent",
                f"axe-core@{AXE_VERSION}",
            ],
            check=False,
            timeout=120,
            capture_output=True,
        )
    if not path.exists():
        unavailable(f"axe-core not found at {path} (npm install --prefix var/axe axe-core)")
    return path.read_text()


CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  const t = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 200) : "";
  console.error(`CSP ${e.violatedDirective} at ${e.sourceFile}:${e.lineNumber} on ${t}`);
}, true);
"""


class Pages:
    """Opens pages in fresh browser contexts and collects what went wrong in them."""

    def __init__(self, browser, live_server, request) -> None:
        self.browser = browser
        self.base_url = live_server.url
        self.test_name = re.sub(r"[^\w.-]+", "_", request.node.name)[:80]
        self.contexts: list = []
        self.console_errors: list[str] = []
        self.expected_failures: set[str] = {"/favicon.ico"}

    def new(
        self,
        *,
        user=None,
        viewport=DESKTOP,
        javascript: bool = True,
        language: str = "de",
    ):
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=viewport,
            java_script_enabled=javascript,
            locale="de-DE" if language == "de" else "en-GB",
            extra_http_headers={"Accept-Language": language},
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        if language != "de":
            # The language switch stores the choice in this cookie (it beats a profile's).
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": self.base_url}]
            )
        if user is not None:
            self.login_cookie(context, user)
        page = context.new_page()
        # Name the element a CSP violation hit: the browser's own message names only the
        # script that caused it (that is how htmx settling a test tool's style was found).
        page.add_init_script(CSP_REPORTER)
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        return page

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if any(url.endswith(path) for path in self.expected_failures):
            return  # a 404 the test asked for, or the favicon browsers ask for on their own
        self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def expect_failure(self, path: str) -> None:
        """Loading `path` will fail on purpose (an error page): not a console error."""
        self.expected_failures.add(path)

    def login_cookie(self, context, user) -> None:
        """Sign in without the form (the login form has its own tests)."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])

    def screenshot(self, page, name: str) -> Path:
        folder = SCREENSHOTS / self.test_name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser, live_server, request) -> Iterator[Pages]:
    opened = Pages(browser, live_server, request)
    try:
        yield opened
    finally:
        opened.close()
    # A CSP violation or a script error on any page fails the test.
    errors = opened.console_errors
    assert not errors, "browser console errors:\n" + "\n".join(errors)


def mail_text(message) -> str:
    """Subject and text/plain body of a received e-mail, decoded."""
    from email.header import decode_header, make_header

    subject = str(make_header(decode_header(message["Subject"] or "")))
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True) or b""
            return subject + "\n" + payload.decode(part.get_content_charset() or "utf-8")
    return subject


def link_path(text: str, marker: str) -> str:
    """The path of the first link in `text` containing `marker` (links carry SITE_URL's host)."""
    from urllib.parse import urlsplit

    match = re.search(r"https?://\S*" + re.escape(marker) + r"\S*", text)
    assert match, f"no link with {marker!r} in:\n{text}"
    return urlsplit(match.group(0)).path


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


class A11yChecker:
    """check(page, label) runs axe-core on the page; assert_clean() fails with every finding.

    Findings are collected over all pages of a test so one run lists them all.
    """

    def __init__(self, axe_source: str) -> None:
        self.axe_source = axe_source
        self.findings: list[str] = []

    def __call__(self, page, label: str = "") -> None:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        if result["violations"]:
            self.findings.append(
                f"{label or page.url}:\n" + format_violations(result["violations"])
            )
        # WCAG 1.4.10 (reflow), which axe does not check: on a phone-sized viewport nothing
        # may stick out sideways, except data tables (the criterion's own exception).
        width = page.viewport_size["width"] if page.viewport_size else 0
        if width and width <= 400:
            wide = page.evaluate(
                """w => [...document.querySelectorAll('body *')]
                    .filter(e => !e.closest('table, pre'))
                    .filter(e => e.getBoundingClientRect().right > w + 1)
                    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ?
                    '.' + String(e.className).split(' ').join('.') : ''))""",
                width,
            )
            if wide:
                self.findings.append(
                    f"{label or page.url}: wider than {width}px without a data table: {wide}"
                )

    def assert_clean(self) -> None:
        assert not self.findings, (
            f"axe-core found WCAG 2.2 AA violations on {len(self.findings)} page(s):\n"
            + "\n".join(self.findings)
        )


@pytest.fixture
def check_a11y(axe_source) -> Iterator[A11yChecker]:
    """check_a11y(page, label): axe-core, WCAG 2.2 A/AA; the test fails at its end on findings."""
    checker = A11yChecker(axe_source)
    yield checker
    checker.assert_clean()


@pytest.fixture
def real_stack(transactional_db, private_redis, use_real_broker, smtp_server):
    """PostgreSQL, a private Redis as broker, a real `celery worker` subprocess sending mail
    over SMTP to the smtp_server fixture. The live server publishes tasks to that Redis."""
    require_postgres()
    use_real_broker(private_redis.url)
    worker = WorkerProcess(
        private_redis.url,
        extra_env={
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_server.port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_USE_SSL": "false",
        },
    )
    worker.start()
    try:
        yield smtp_server
    finally:
        worker.stop()
