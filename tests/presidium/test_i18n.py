"""The English translation: the catalog is complete and sound, and the main pages render in English.

The catalog is compiled here, from the .po into a temporary directory, so these tests never depend on a
committed or stale ``django.mo`` (the Makefile runs ``compilemessages`` for the running portal).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from presidium.choices import Role
from tests.factories import DeputyFactory, HandlingUnitFactory, proposals_suggestion

LOCALE_DIR = Path(settings.BASE_DIR) / "config" / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
# What `makemessages` is run with (README / brief): the venv, npm packages, the dev data and vendored assets
# hold no strings of ours.
MAKEMESSAGES_IGNORE = [".venv", "node_modules", "var", "static/vendor"]

# Chinese that must never be left on an English page: navigation, buttons and headings every page carries.
CHINESE_UI_WORDS = ["工作台", "退出登录", "修改密码", "个人设置", "代表名册", "议案建议", "承办单位", "账号与角色",
                    "工作日历", "文档下载", "筛选", "导出", "登录", "消息", "乡镇人大主席团工作平台"]
IDEOGRAPHS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


# --- reading the .po ------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 for a plain entry; 0, 1 … for plural forms
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple:
        return self.msgctxt, self.msgid, self.msgid_plural


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), f"not a quoted PO string: {text!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], body[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (header first), following the gettext format, continuation lines included."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # the field the next continuation line extends

    def start() -> Entry:
        nonlocal target
        entries.append(Entry())
        target = None
        return entries[-1]

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            current, target = None, None
            continue
        if line.startswith("#"):
            if current is None or target is not None:
                current = start()
            if line.startswith("#,"):
                current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            assert current is not None and target is not None, f"stray continuation line: {raw!r}"
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        if current is None or (keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr"):
            current = start()
        current.obsolete = current.obsolete or obsolete
        plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if plural_form:
            target = ("msgstr", int(plural_form.group(1)))
            current.msgstr[target[1]] = _unquote(rest)
        elif keyword == "msgstr":
            target = ("msgstr", 0)
            current.msgstr[0] = _unquote(rest)
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            target = (keyword, 0)
            setattr(current, keyword, _unquote(rest))
        else:
            raise AssertionError(f"unknown PO keyword in {raw!r}")
    return entries


def live_entries(path: Path = PO_FILE) -> list[Entry]:
    return [e for e in parse_po(path) if not e.obsolete and e.msgid]


def is_untranslated(entry: Entry) -> bool:
    return "fuzzy" in entry.flags or not entry.msgstr or not all(entry.msgstr.values())


PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifrxXeEgGco%]")
BRACES = re.compile(r"\{[A-Za-z_]\w*\}")


def placeholders(text: str, *, python_format: bool) -> list[str]:
    found = sorted(BRACES.findall(text))
    if python_format or "%(" in text:
        found += sorted(PERCENT.findall(text))
    return found


# --- the catalog ----------------------------------------------------------------------------------


def test_it_parses_the_catalog_it_checks():
    """The parser reads every entry msgfmt compiles (no entry silently skipped)."""
    result = subprocess.run([_msgfmt(), "--statistics", "-o", "/dev/null", str(PO_FILE)],
                            capture_output=True, text=True, check=True)
    translated = int(re.search(r"(\d+) translated message", result.stderr).group(1))
    assert translated == len([e for e in live_entries() if not is_untranslated(e)])
    assert translated > 1000


def test_it_has_an_english_header():
    header = parse_po(PO_FILE)[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_it_translates_every_entry():
    """No empty or fuzzy msgstr: a new string without a translation fails the suite."""
    missing = [(e.msgctxt, e.msgid) for e in live_entries() if is_untranslated(e)]
    assert not missing, f"untranslated or fuzzy entries in {PO_FILE}: {missing}"


def test_it_keeps_every_placeholder():
    """Every msgstr keeps exactly the msgid's placeholders (%(name)s, %s, %%, {b}), plural forms included."""
    broken = []
    for entry in live_entries():
        python_format = "python-format" in entry.flags
        expected = placeholders(entry.msgid_plural or entry.msgid, python_format=python_format)
        for index, text in entry.msgstr.items():
            got = placeholders(text, python_format=python_format)
            # English's singular may spell the one out ("Import 1 row"); every other form keeps them all.
            if got != expected and not (entry.msgid_plural and index == 0 and set(got) <= set(expected)):
                broken.append((entry.msgid, text, expected, got))
        for text in entry.msgstr.values():
            if entry.msgid.endswith("\n") != text.endswith("\n"):
                broken.append((entry.msgid, text, "trailing newline", ""))
    assert not broken


def test_it_leaves_no_chinese_in_the_english_catalog():
    """Translations are English; Chinese survives only where the user must type it (an example, a value)."""
    allowed = {"张三", "东风村一组", "东风村二组", "是", "否", "国办发明电", "号", "年", "月", "日"}
    leftovers = [(e.msgid, text) for e in live_entries() for text in e.msgstr.values()
                 if set(IDEOGRAPHS.findall(text)) - allowed]
    assert not leftovers


def test_it_has_an_entry_for_every_string_in_the_source(tmp_path, settings, monkeypatch):
    """The catalog is in step with the code: makemessages over the source finds nothing new to translate."""
    shutil.copytree(LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(settings.BASE_DIR)
    committed_text = PO_FILE.read_bytes()
    try:
        # config/locale is ignored too: a "locale" directory makemessages walks into becomes the catalog of
        # the files beside it, and the committed .po must not be rewritten by a test.
        call_command("makemessages", locale=["en"], verbosity=0,
                     ignore_patterns=[*MAKEMESSAGES_IGNORE, "config/locale"])
    finally:
        changed = PO_FILE.read_bytes() != committed_text
        if changed:
            PO_FILE.write_bytes(committed_text)
    assert not changed, "makemessages wrote to the committed catalog"
    fresh = live_entries(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(fresh) >= len(live_entries()) - 50, "makemessages found far fewer strings than the catalog holds"
    committed = {e.key for e in live_entries()}
    new = [(e.msgctxt, e.msgid) for e in fresh if e.key not in committed or is_untranslated(e)]
    assert not new, f"{len(new)} strings to translate; run makemessages (see README) and translate: {new[:30]}"


# --- compiling, for the pages ---------------------------------------------------------------------


def _msgfmt() -> str:
    path = shutil.which("msgfmt")
    assert path, "msgfmt not found: install gettext (scripts/system_packages.sh base does)"
    return path


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory) -> Path:
    """The current .po compiled (and format-checked) into a temporary LOCALE_PATHS directory."""
    root = tmp_path_factory.mktemp("locale")
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        target = root / po.relative_to(LOCALE_DIR).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([_msgfmt(), "--check-format", "-o", str(target), str(po)], check=True)
    return root


@pytest.fixture
def english(client, settings, compiled_locale):
    """The test client with the language switch's cookie set to English, reading the fresh catalog."""
    settings.LOCALE_PATHS = [compiled_locale]  # setting_changed resets Django's catalog cache
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield client
    translation.activate(settings.LANGUAGE_CODE)


class VisibleText(HTMLParser):
    """The text a user sees or hears: text nodes and titles, labels, placeholders and confirmations.

    Scripts and styles are skipped, and so is the language switch's 中文 button, Chinese on purpose.
    """

    ATTRIBUTES = {"title", "aria-label", "placeholder", "data-confirm", "alt"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in self.VOID and (self.skipping or tag in ("script", "style") or attributes.get("lang") == "zh-hans"):
            self.skipping.append(tag)
            return
        if not self.skipping:
            self.parts += [value for name, value in attrs if name in self.ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def data_strings() -> set[str]:
    """Chinese that is data, not interface: every text stored in the rows the test created (names, titles,
    summaries, and log lines written in the language of whoever acted)."""
    from django.apps import apps
    from django.db import models

    ours = {"presidium", "deputies", "proposals", "petitions", "evaluations"}
    values: set[str] = set()
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in ours:
            continue
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        for row in model.objects.values_list(*names):
            values.update(v for v in row if isinstance(v, str) and v)
    return values


def catalog_chinese() -> set[str]:
    """Chinese the English catalog itself keeps on purpose: examples of what to type (张三, a holiday notice)."""
    return {run for entry in live_entries() for text in entry.msgstr.values() for run in IDEOGRAPHS.findall(text)}


def assert_english(response, *, expected: list[str]) -> str:
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    text = visible_text(html)
    for phrase in expected:
        assert phrase in text, f"{phrase!r} missing from the English page"
    for word in CHINESE_UI_WORDS:
        assert word not in text, f"Chinese interface word {word!r} left on the English page"
    data = data_strings() | catalog_chinese()
    leftovers = sorted({run for run in IDEOGRAPHS.findall(text) if not any(run in value for value in data)})
    assert not leftovers, f"untranslated Chinese on the English page: {leftovers}"
    return text


# --- the pages ------------------------------------------------------------------------------------


def test_it_renders_the_login_page_in_english(english, db):
    text = assert_english(english.get(reverse("login")),
                          expected=["Township Presidium Portal", "Log in", "Username", "Forgot your password?"])
    assert "中文" not in text  # the switch back is there, but as a lang="zh-hans" button, skipped above


def test_it_renders_the_home_page_in_english(english, world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    proposals_suggestion(world.township, status_to="submitted", lead_deputy=DeputyFactory(township=world.township))
    english.force_login(staff)
    assert_english(english.get(reverse("home")),
                   expected=["Dashboard", "Deputy roster", "Motions & suggestions", "Handling units", "Log out",
                             "Motions and suggestions to register", "Reply rate"])


def test_it_renders_the_handling_unit_list_in_english(english, world):
    HandlingUnitFactory(township=world.township, name="水利站")
    english.force_login(world.user(Role.PRESIDIUM_STAFF))
    text = assert_english(english.get(reverse("presidium:unit_list")),
                          expected=["Handling units", "Type", "Responsible leader", "Filter", "Export to Excel",
                                    "Service station", "Active"])
    assert "Total: 2" in text


def test_it_renders_the_deputy_pages_in_english(english, world):
    deputy = DeputyFactory(township=world.township, name="冯国强", gender="female")
    english.force_login(world.user(Role.PRESIDIUM_STAFF))
    assert_english(english.get(reverse("deputies:deputy_list")),
                   expected=["Deputy roster", "Name / pinyin / initials", "Political affiliation", "Serving"])
    text = assert_english(english.get(reverse("deputies:deputy_detail", args=[deputy.pk])),
                          expected=["Basic information", "Female", "Deputy level", "Township deputy", "Term 18"])
    assert "第十八届" not in text


def test_it_renders_the_proposal_pages_in_english(english, world):
    suggestion = proposals_suggestion(world.township, status_to="in_handling", unit=world.unit,
                                      lead_deputy=DeputyFactory(township=world.township))
    english.force_login(world.user(Role.PRESIDIUM_STAFF))
    assert_english(english.get(reverse("proposals:list")),
                   expected=["Motions & suggestions", "Lead deputy", "Handling deadline", "In handling", "Suggestion"])
    assert_english(english.get(reverse("proposals:detail", args=[suggestion.pk])),
                   expected=["Lead unit", "Consultations (three meetings)", "Handling log", "In person"])
    # a help text formatted when shown, not when the module was imported
    assert_english(english.get(reverse("proposals:create")),
                   expected=["Enter a motion or suggestion", "Optional, PDF, Word, Excel, OFD, JPG or PNG"])


def test_it_renders_the_working_calendar_in_english(english, world):
    """Day names and dates follow the language; holiday names are data and stay as entered."""
    english.force_login(world.user(Role.PRESIDIUM_STAFF))
    text = assert_english(english.get(reverse("workcalendar:month_detail", args=[2026, 10])),
                          expected=["Working calendar", "Mon", "Sun", "Day off (public holiday)", "Oct 1 (Thu)",
                                    "Make-up working day"])
    assert "星期" not in text


def test_it_stays_chinese_without_the_cookie(client, world, compiled_locale, settings):
    """Chinese first: with no choice made (whatever the browser asks for) the portal speaks Chinese."""
    settings.LOCALE_PATHS = [compiled_locale]
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "工作台" in html and "Dashboard" not in html


def test_it_names_a_term_in_each_languages_own_numerals(world, compiled_locale, settings):
    settings.LOCALE_PATHS = [compiled_locale]
    term = world.township.terms.get(is_current=True)
    with translation.override("zh-hans"):
        assert str(term) == "第十八届"
    with translation.override("en"):
        assert str(term) == "Term 18"
