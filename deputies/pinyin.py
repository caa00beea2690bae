"""Moved to the floor (:mod:`presidium.pinyin`) so that the shared pickers can read names too."""

from presidium.pinyin import (  # noqa: F401 — kept importable for code that still names this module
    looks_like_pinyin,
    name_initials,
    name_pinyin,
    name_syllables,
    normalize_pinyin_query,
)
