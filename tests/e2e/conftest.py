"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Fixtures:

* ``browser`` (session): headless Chromium from ``/usr/bin/chromium`` (never ``playwright install``:
  no browser download here), override with ``E2E_CHROMIUM``;
* ``base_url``: the live server's address with the demo data loaded (``seed_demo``), on a
  transactional database (the server thread must see committed rows). The data is seeded once per
  session and restored from a snapshot before each test (see ``DemoSnapshot``);
* ``viewport``: ``"desktop"`` (1280×900) unless a test parametrizes it (``"phone"`` is 390×844);
* ``page``: a fresh browser context on ``base_url`` at that viewport. It records console errors,
  uncaught exceptions, Content-Security-Policy violations and failed static files, and fails the
  test if any appeared. After each test a screenshot goes to ``$E2E_ARTIFACTS_DIR``
  (default ``var/e2e/``): look at them.
* ``open_page``: ``open_page("phone")`` opens one more such page (own context and cookies). Seeding
  the demo data is most of a browser test's time, so a flow that must work at both widths opens
  both pages in one test instead of being parametrized into two.
* ``page_problems``: the list those pages report into, for a test that provokes an error on purpose.

Helpers (``login_as``, ``logout``, ``assert_styled``) are in ``tests/e2e/helpers.py``.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# The machine has no network but the package registries: without these flags Chromium keeps
# trying to reach Google's services (and, as root in a container, needs --no-sandbox).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS_DIR", settings.BASE_DIR / "var" / "e2e"))
STATIC_TYPES = {"stylesheet", "script", "font", "image"}

# Runs in every page before its own scripts: forwards CSP violations to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__e2eCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: install it with `scripts/system_packages.sh browser`")
    # Playwright's sync API keeps an asyncio loop on this thread; Django then refuses ORM calls
    # from it (SynchronousOnlyOperation) although nothing here is async. Allowed for the browser
    # session only, and put back afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class DemoSnapshot:
    """The demo data, loaded once per test session and put back before every browser test.

    ``seed_demo`` takes tens of seconds, far longer than the browser part of a test, so it runs
    once; each test then starts from a byte-for-byte copy of the seeded database, restored in
    milliseconds: SQLite's backup API for the in-memory test database, a template database on
    PostgreSQL (``CREATE DATABASE … TEMPLATE``; the test role has CREATEDB). Tests stay isolated
    exactly as with a fresh seed, since pytest-django still empties the database after each.
    """

    def __init__(self):
        self.saved = None

    def restore_or_seed(self) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        if self.saved is None:
            call_command("seed_demo", quiet_accounts=True, stdout=io.StringIO())
            self.saved = self._save(connection)
        else:
            self._restore(connection)
        ContentType.objects.clear_cache()  # the flush after the last test recreated them with new ids

    @staticmethod
    def _save(connection):
        if connection.vendor == "sqlite":
            import sqlite3

            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.ensure_connection()
            connection.connection.backup(copy)
            return copy
        if connection.vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            snapshot = f"{name}_e2e_demo"
            connection.close()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{snapshot}"')
                cursor.execute(f'CREATE DATABASE "{snapshot}" TEMPLATE "{name}"')
            return snapshot
        return None  # another database: seed before every test

    def _restore(self, connection) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.saved.backup(connection.connection)
        elif connection.vendor == "postgresql":
            name = connection.settings_dict["NAME"]
            connection.close()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.saved}"')
        else:
            call_command("seed_demo", quiet_accounts=True, stdout=io.StringIO())

    def discard(self) -> None:
        from django.db import connection

        if isinstance(self.saved, str):
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.saved}" WITH (FORCE)')
        elif self.saved is not None:
            self.saved.close()
        self.saved = None


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    snapshot = DemoSnapshot()
    yield snapshot
    with django_db_blocker.unblock():
        snapshot.discard()


@pytest.fixture
def base_url(browser, live_server, transactional_db, demo_snapshot) -> str:
    """The live server, with the demo data (``seed_demo``) in the database."""
    demo_snapshot.restore_or_seed()
    return live_server.url


@pytest.fixture
def viewport() -> str:
    return "desktop"


@pytest.fixture
def page_problems() -> list[str]:
    return []


@pytest.fixture
def open_page(browser, base_url, page_problems, request):
    """``open_page("phone")`` opens another page (own context, own cookies) with the same checks as
    ``page``: for a test that walks one flow at both widths without seeding the database twice."""
    contexts = []

    def _open(viewport: str = "desktop"):
        context = browser.new_context(
            base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **VIEWPORTS[viewport])
        context.set_default_timeout(10_000)
        context.expose_binding("__e2eCspViolation",
                               lambda source, text: page_problems.append(f"[{viewport}] CSP: {text}"))
        context.add_init_script(CSP_LISTENER)
        new_page = context.new_page()

        def on_console(message):
            if message.type == "error":
                page_problems.append(f"[{viewport}] console.error: {message.text} "
                                     f"({message.location.get('url', '')})")

        def on_response(response):
            if response.status >= 400 and response.request.resource_type in STATIC_TYPES:
                page_problems.append(f"[{viewport}] {response.status} for {response.url}")

        def on_request_failed(failed):
            if failed.resource_type in STATIC_TYPES:
                page_problems.append(f"[{viewport}] failed to load {failed.url}: {failed.failure}")

        new_page.on("console", on_console)
        new_page.on("pageerror", lambda error: page_problems.append(f"[{viewport}] uncaught: {error}"))
        new_page.on("response", on_response)
        new_page.on("requestfailed", on_request_failed)
        contexts.append((viewport, context, new_page))
        return new_page

    yield _open

    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
        for index, (viewport, _, opened) in enumerate(contexts):
            suffix = "" if viewport in name else f"-{viewport}"
            suffix += f"-{index + 1}" if len(contexts) > 1 and sum(v == viewport for v, _, _ in contexts) > 1 else ""
            if not opened.is_closed():
                opened.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)
    finally:
        for _, context, _ in contexts:
            context.close()
    if page_problems:
        pytest.fail("the browser reported problems:\n  " + "\n  ".join(page_problems), pytrace=False)


@pytest.fixture
def page(open_page, viewport):
    return open_page(viewport)
