"""The one searchable multi-select: each option carries its reading, so typing “zs” or “zhangsan” finds 张三."""

from __future__ import annotations

import re

from django import forms
from django.urls import reverse

from deputies import services as deputies_services
from presidium.choices import Role
from presidium.models import HandlingUnit
from presidium.pinyin import search_reading
from presidium.widgets import SearchableSelectMultiple
from proposals.forms import AssignForm, SuggestionForm
from tests.factories import HandlingUnitFactory, proposals_deputy


def test_it_reads_names_as_full_pinyin_and_initials():
    assert search_reading("张三", person=True) == ("zhangsan", "zs")
    assert search_reading("单雄信", person=True) == ("shanxiongxin", "sxx")  # the surname reading
    assert search_reading("水利站") == ("shuilizhan", "slz")


def test_it_renders_each_option_with_its_reading(world):
    HandlingUnitFactory(township=world.township, name="水利站")

    class UnitsForm(forms.Form):
        units = forms.ModelMultipleChoiceField(queryset=HandlingUnit.objects.filter(township=world.township),
                                               widget=SearchableSelectMultiple(exclude_from="id_lead"))

    html = str(UnitsForm()["units"])
    assert 'data-picker="multi"' in html and 'data-picker-exclude-from="id_lead"' in html
    assert 'data-pinyin="shuilizhan" data-initials="slz"' in html
    assert 'data-pinyin="caizhengsuo" data-initials="czs"' in html
    assert "tom-select.complete.min.js" in str(UnitsForm().media) and "js/pickers.js" in str(UnitsForm().media)


def test_it_takes_a_deputys_stored_reading(world):
    deputy = deputies_services.deputy_create(township=world.township, by=world.user(Role.PRESIDIUM_STAFF),
                                             name="曾国藩", gender="male")
    form = SuggestionForm(township=world.township, staff=True)
    html = str(form["cosigners"])
    assert f'value="{deputy.pk}" data-pinyin="zengguofan" data-initials="zgf"' in html


def test_it_leaves_the_lead_deputy_out_of_his_own_co_signers(world, login):
    me = proposals_deputy(world.township, user=world.user(Role.DEPUTY), name="冯国强")
    other = proposals_deputy(world.township, name="张三")
    form = SuggestionForm(township=world.township, staff=False, lead=me)
    assert list(form.fields["cosigners"].queryset) == [other]
    page = login(world.user(Role.DEPUTY)).get(reverse("proposals:create")).content.decode()
    cosigners = re.search(r'<select name="cosigners".*?</select>', page, re.S).group(0)
    assert f'<option value="{other.pk}"' in cosigners and f'<option value="{me.pk}"' not in cosigners
    assert "js/pickers.js" in page and "tom-select.bootstrap5.min.css" in page


def test_it_uses_the_picker_for_co_units_and_excludes_the_lead_unit_on_the_client(world):
    html = str(AssignForm(township=world.township)["co_units"])
    assert 'data-picker="multi"' in html and 'data-picker-exclude-from="id_lead_unit"' in html
