"""The camera of the guide's screenshots (scripts/screenshots.py): Chromium sessions per demo account and
width, shots of a page or a part of it reduced to 256 colours, PDFs' first pages rendered with pdftoppm.

No Django import: any server will do.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin

from screenshot_pages import Shot  # the table's row type, next to this script

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Renda2026!"  # presidium.demo.DEMO_PASSWORD (this script needs no Django)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--lang=zh-CN"]
WIDTHS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
              "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1},
}
MAX_HEIGHT_CSS_PX = 1600  # the guide shows a part of a page, never a whole long list
MARGIN = 8


def shrink(png: bytes) -> bytes:
    """256 colours and zlib at maximum: UI screenshots lose nothing visible and shrink 2–4×."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    return out.getvalue()


def pdf_first_page(pdf: bytes) -> bytes:
    """The first page of a PDF as PNG (pdftoppm, 100 dpi: an A4 page is 827 × 1169 px)."""
    if not pdf.startswith(b"%PDF"):
        raise RuntimeError("not a PDF: " + pdf[:80].decode("utf-8", "replace"))
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm is missing (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(source),
                        str(Path(folder) / "page")], check=True, timeout=60)
        return (Path(folder) / "page.png").read_bytes()


def expand(path: str) -> str:
    today = dt.date.today()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    return path.format(year=today.year, next_year=today.year + 1, today=today.isoformat(),
                       last_month=f"{last_month:%Y-%m}")


def screenshot(page, *, clip: str = "", start: str = "", height: int = 0, scroll: str = "") -> bytes:
    """The top of the page (``height`` CSS px, default one screen), one element (``clip``), ``height`` px
    from an element (``start``), or what the screen shows once ``scroll`` is scrolled to just under the
    navigation bar (sticky bars then stay where the phone shows them)."""
    page.evaluate("() => document.fonts.ready")
    if page.locator("[data-chart]").count():
        page.wait_for_timeout(1500)  # ECharts draws with a one-second animation
    size = page.viewport_size
    options = {"animations": "disabled", "caret": "hide"}
    if scroll:
        page.evaluate("""(selector) => {
            if (document.activeElement) { document.activeElement.blur(); }  // a focused field shifts the view
            const bar = document.querySelector('.portal-navbar');
            const top = document.querySelector(selector).getBoundingClientRect().top + window.scrollY;
            // Bootstrap scrolls smoothly: jump instead, or the shot catches the page mid-way.
            window.scrollTo({top: Math.max(0, top - (bar ? bar.offsetHeight : 0) - 8), behavior: "instant"});
        }""", scroll)
        page.wait_for_timeout(300)
        return page.screenshot(full_page=False, **options)
    page.evaluate("() => window.scrollTo({top: 0, behavior: 'instant'})")
    if clip:
        box = page.locator(clip).first.bounding_box()
        if box is None:
            raise RuntimeError(f"{clip} is not visible")
        top = max(0, box["y"] - MARGIN)
        region = {"x": 0, "y": top, "width": size["width"],
                  "height": min(box["height"] + 2 * MARGIN, MAX_HEIGHT_CSS_PX)}
        return page.screenshot(full_page=True, clip=region, **options)
    full = page.evaluate("() => document.documentElement.scrollHeight")
    top = 0
    if start:
        box = page.locator(start).first.bounding_box()
        if box is None:
            raise RuntimeError(f"{start} is not visible")
        top = max(0, box["y"] - MARGIN)
    keep = min(full - top, height or size["height"], MAX_HEIGHT_CSS_PX)
    return page.screenshot(full_page=True, clip={"x": 0, "y": top, "width": size["width"], "height": keep},
                           **options)


class Camera:
    """Browser sessions per (account, width) and the files they write."""

    def __init__(self, browser, base: str, out: Path, wanted: set[str] | None, widths: list[str]):
        self.browser, self.base, self.out, self.wanted, self.widths = browser, base, out, wanted, widths
        self.sessions: dict[tuple[str, str, str], object] = {}
        self.failures = 0

    def page(self, account: str, width: str = "desktop", tag: str = ""):
        key = (account, width, tag)
        if key not in self.sessions:
            context = self.browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **WIDTHS[width])
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.on("dialog", lambda dialog: dialog.accept())  # data-confirm="确定…？"
            if account:
                log_in(page, self.base, account)
            self.sessions[key] = page
        return self.sessions[key]

    def wants(self, name: str, width: str) -> bool:
        return (self.wanted is None or name in self.wanted) and width in self.widths

    def save(self, name: str, width: str, png: bytes, caption: str) -> None:
        target = self.out / f"{name}-{width}.png"
        target.write_bytes(shrink(png))
        shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
        print(f"{shown}  {target.stat().st_size // 1024} KiB  {caption}")

    def snap(self, page, name: str, caption: str, **options) -> None:
        """Save what ``page`` shows now (story steps)."""
        width = "phone" if page.viewport_size["width"] < 600 else "desktop"
        if not self.wants(name, width):
            return
        try:
            self.save(name, width, screenshot(page, **options), caption)
        except Exception as error:  # one broken shot must not stop the others
            self.failures += 1
            print(f"FAILED {name}-{width}: {error}", file=sys.stderr)

    def go(self, page, path: str):
        response = page.goto(urljoin(self.base + "/", path), wait_until="networkidle")
        if response is None or response.status >= 400:
            raise RuntimeError(f"{path} answered {response.status if response else 'nothing'}")
        return response

    def shoot_row(self, row: Shot, width: str) -> None:
        page = self.page(row.account, width)
        self.go(page, expand(row.path))
        for selector in row.follow:
            href = page.locator(selector).first.get_attribute("href")
            if not href:
                raise RuntimeError(f"no link {selector} on {page.url}")
            if row.pdf and selector == row.follow[-1]:
                self.save(row.name, width, pdf_first_page(self.fetch(page, href)), row.caption)
                return
            self.go(page, urljoin(page.url, href))
        if row.pdf:
            self.save(row.name, width, pdf_first_page(self.fetch(page, page.url)), row.caption)
            return
        self.save(row.name, width, screenshot(page, clip=row.clip, start=row.start, height=row.height), row.caption)

    def fetch(self, page, href: str) -> bytes:
        response = page.request.get(urljoin(page.url, href), timeout=120_000)
        if not response.ok:
            raise RuntimeError(f"{href} answered {response.status}")
        return response.body()

    def close(self) -> None:
        for page in self.sessions.values():
            page.context.close()


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if password == PASSWORD and "/accounts/login/" in page.url:
        raise RuntimeError(f"could not log in as {username} (is the demo data loaded? manage.py seed_demo)")
