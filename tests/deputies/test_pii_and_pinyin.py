"""ID numbers (GB 11643), masks, the keyed digest, and pinyin for sorting and initials search."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.exceptions import ValidationError

from deputies import pii
from presidium.pinyin import name_initials, name_pinyin
from tests.deputies.conftest import make_id_number


def test_it_accepts_a_valid_id_number_and_normalises_a_lower_case_x():
    assert pii.validate_id_number("11010519491231002x") == "11010519491231002X"
    assert pii.validate_id_number(" 110105 19491231002X ") == "11010519491231002X"


@pytest.mark.parametrize("value, code", [
    ("11010519491231002", "id_shape"),
    ("1101051949123100AX", "id_shape"),
    ("110105194902300021", "id_birth"),
    ("110105194912310021", "id_checksum"),
])
def test_it_refuses_bad_id_numbers_with_a_chinese_reason(value, code):
    with pytest.raises(ValidationError) as caught:
        pii.validate_id_number(value)
    assert caught.value.code == code
    assert "身份证号码" in caught.value.messages[0]


def test_it_reads_birth_date_and_gender_from_the_id_number():
    number = make_id_number(dt.date(1980, 2, 29), male=False)
    assert pii.birth_date_from_id(number) == dt.date(1980, 2, 29)
    assert pii.gender_from_id(number) == "female"


def test_it_masks_as_the_notes_say():
    assert pii.mask_id_number("11010519491231002X") == "110105********002X"
    assert pii.mask_phone("13812345678") == "138****5678"
    assert pii.mask_address("临川县青石镇东风村3组12号") == "临川县青石镇****"
    assert pii.mask_phone("") == ""


def test_it_gives_the_same_digest_for_the_same_number_whatever_the_spelling():
    assert pii.id_number_digest("11010519491231002x") == pii.id_number_digest("11010519491231002X")
    assert pii.id_number_digest("11010519491231002X") != pii.id_number_digest(make_id_number())
    assert "11010519491231002X" not in pii.id_number_digest("11010519491231002X")
    assert pii.id_number_digest("") == ""


def test_it_depends_on_the_key(settings):
    before = pii.id_number_digest("11010519491231002X")
    settings.DEPUTIES_ID_HMAC_KEY = "another key"
    assert pii.id_number_digest("11010519491231002X") != before


@pytest.mark.parametrize("name, pinyin, initials", [
    ("张三", "zhang san", "zs"),
    ("曾国藩", "zeng guo fan", "zgf"),
    ("单雄信", "shan xiong xin", "sxx"),
    ("解缙", "xie jin", "xj"),
    ("查良镛", "zha liang yong", "zly"),
    ("仇英", "qiu ying", "qy"),
    ("区寄", "ou ji", "oj"),
    ("朴槿惠", "piao jin hui", "pjh"),
    ("覃振", "qin zhen", "qz"),
    ("翟志刚", "zhai zhi gang", "zzg"),
    ("欧阳修", "ou yang xiu", "oyx"),
    ("吕布", "lv bu", "lb"),
    ("阿依古丽·买买提", "a yi gu li mai mai ti", "ayglmmt"),
])
def test_it_reads_surnames_as_surnames(name, pinyin, initials):
    assert name_pinyin(name) == pinyin
    assert name_initials(name) == initials


def test_it_sorts_like_a_dictionary():
    names = ["林安", "李明", "曾国藩", "张三", "陈红"]
    assert sorted(names, key=name_pinyin) == ["陈红", "李明", "林安", "曾国藩", "张三"]


def test_it_rehashes_the_digests_after_the_key_changes(world, settings):
    import io

    from django.core.management import call_command

    from deputies.models import Deputy
    from tests.factories import DeputyFactory

    deputy = DeputyFactory(township=world.township, id_number=make_id_number())
    settings.DEPUTIES_ID_HMAC_KEY = "rotated"
    out = io.StringIO()
    call_command("rehash_deputy_ids", stdout=out)
    assert "1 名" in out.getvalue()
    assert Deputy.objects.get(pk=deputy.pk).id_number_digest == pii.id_number_digest(deputy.id_number)


def test_it_loads_the_pinyin_dictionaries_only_in_a_process_that_reads_a_name():
    """pypinyin's dictionaries (about 54 MB) are not loaded by Django's set-up, the URLconf or the Celery app: a
    worker that only sends reminders or writes exports does without them."""
    import subprocess
    import sys

    code = ("import django, sys; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
            "import config.celery; print('pypinyin' in sys.modules); "
            "from presidium.pinyin import name_pinyin; print(name_pinyin('曾小明')); print('pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}).stdout.split()
    assert out == ["False", "zeng", "xiao", "ming", "True"]
