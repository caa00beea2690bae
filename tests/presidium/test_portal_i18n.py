"""{% load i18n %} loads presidium.templatetags.portal_i18n: its {% translate %} remembers constant messages
per language and must render exactly what Django's own tag renders."""

import pytest
from django.template import Context, Engine, engines
from django.templatetags.i18n import TranslateNode
from django.utils import translation

from presidium.templatetags.portal_i18n import CachedTranslateNode

TAGS = [
    "{% translate '待办' %}",
    '{% translate "筛选" %}',
    "{% trans '清除' %}",
    "{% translate '筛选条件有误：' %}",
    "{% translate '导出 Excel' as label %}[{{ label }}]",
    "{% translate '待办' noop %}",
    "{% translate 'May' context 'month name' %}",
    "{% translate '100%% <b>' %}",
    "{% translate '<i>x</i> & y' %}",
    "{% translate word %}",
    "{% translate word|upper %}",
    "{% translate '待办'|upper %}",
    "{% translate 'May' context ctx %}",
    "{% translate '没有这条翻译' %}",
    "{% autoescape off %}{% translate '<i>x</i> & y' %}{% translate word %}{% endautoescape %}",
    "{% for i in '123' %}{% translate '待办' %}{% translate word %}{% endfor %}",
]


def _engines():
    django_engine = Engine(libraries={"i18n": "django.templatetags.i18n"})
    return django_engine, engines["django"].engine


@pytest.mark.parametrize("source", TAGS)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_renders_what_djangos_translate_renders(source, language):
    django_engine, portal_engine = _engines()
    values = {"word": "待办", "ctx": "month name"}
    expected = []
    with translation.override(language):
        for _ in range(2):
            expected.append(django_engine.from_string("{% load i18n %}" + source).render(Context(values)))
    portal = portal_engine.from_string("{% load i18n %}" + source)
    with translation.override(language):
        first = portal.render(Context(values))
        second = portal.render(Context(values))  # the remembered output
    assert [first, second] == expected


def test_it_remembers_per_language_on_one_compiled_template():
    """One compiled template (as the cached loader keeps it) serves both languages correctly."""
    template = engines["django"].engine.from_string("{% load i18n %}{% translate '清除' %}|{% translate '筛选' %}")
    with translation.override("zh-hans"):
        chinese = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("zh-hans"):
        chinese_again = template.render(Context())
    assert chinese == chinese_again == "清除|筛选"
    clear, filter_ = "清除", "筛选"  # gettext of variables: makemessages must not collect these
    with translation.override("en"):
        assert english == translation.gettext(clear) + "|" + translation.gettext(filter_)
    assert "清" not in english and "筛" not in english


def test_it_keeps_djangos_node_for_variables_and_filters():
    template = engines["django"].engine.from_string(
        "{% load i18n %}{% translate '待办' %}{% translate word %}{% translate '待办'|upper %}{% translate 'May' context c %}"
    )
    kinds = [type(node) for node in template.nodelist if isinstance(node, TranslateNode)]
    assert kinds == [CachedTranslateNode, TranslateNode, TranslateNode, TranslateNode]


def test_it_is_what_the_portals_templates_load():
    template = engines["django"].get_template("base.html").template
    nodes = template.nodelist.get_nodes_by_type(CachedTranslateNode)
    assert nodes, "base.html's {% translate %} tags should be the remembering ones"


def test_it_is_the_only_template_library_name_used_twice():
    """templates.W003 is silenced for the deliberate "i18n" override only: every other clash still fails."""
    from collections import defaultdict

    from django.template.backends.django import get_template_tag_modules

    libraries = defaultdict(set)
    for name, path in get_template_tag_modules():
        libraries[name].add(path)
    for name, path in engines["django"].engine.libraries.items():
        libraries[name].add(path)
    clashes = {name: paths for name, paths in libraries.items() if len(paths) > 1}
    assert clashes == {"i18n": {"django.templatetags.i18n", "presidium.templatetags.portal_i18n"}}
