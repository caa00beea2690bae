"""Names sort by the number they carry, in Chinese numerals or digits."""

from __future__ import annotations

import pytest

from presidium.sorting import chinese_number, natural_sort_key


@pytest.mark.parametrize("text,value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("三十一", 31), ("一百零五", 105), ("两百", 200),
    ("一千零一", 1001), ("一万二千", 12000), ("二〇二六", 2026), ("零", 0), ("万", None), ("千", None),
])
def test_it_reads_chinese_numerals(text, value):
    assert chinese_number(text) == value


def test_it_sorts_names_as_people_count():
    names = ["第三十一选区", "第七选区", "第一选区", "第十选区", "第三选区", "第12选区", "第二选区", "第十一选区"]
    assert sorted(names, key=natural_sort_key) == [
        "第一选区", "第二选区", "第三选区", "第七选区", "第十选区", "第十一选区", "第12选区", "第三十一选区"]


def test_it_keeps_words_that_are_not_numbers():
    assert natural_sort_key("万家村代表小组") == "万家村代表小组"
    assert natural_sort_key("第１２组") == "第00000012组"  # full-width digits pasted from Word
    assert len(natural_sort_key("第一" * 100)) == 200
