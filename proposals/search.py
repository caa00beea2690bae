"""The suggestions search's index: the two-character pieces (bigrams) of each item's title and former serial.

A search word of two Chinese characters ("道路") was a scan of every title the reader may see (``LIKE '%道路%'``:
the county's 29,885 titles, 30–85 ms, even when nothing matches): a trigram index (pg_trgm) takes nothing from a
two-character word, and PostgreSQL here has no bigram index (pg_bigm). So the database keeps one: a GIN index over
``proposals_search_bigrams(title, former_serial)``, an immutable SQL function giving the distinct two-character
pieces of both texts (migration 0008, PostgreSQL only). A title containing the word contains each of its pieces, so
"has every piece of the word" is a necessary condition the index answers; the ``LIKE`` still decides. PostgreSQL
keeps the index itself on every insert and update: nothing in the services has to.
"""

from __future__ import annotations

from django.db.models import BooleanField, F, Func

FUNCTION = "proposals_search_bigrams"
INDEX = "suggestion_search_bigrams"


def bigrams(value: str) -> list[str]:
    """The distinct two-character pieces of ``value``, as the database's function cuts them (by characters)."""
    return sorted({value[i:i + 2] for i in range(len(value) - 1)})


def can_use_bigrams(value: str) -> bool:
    """A word of two characters or more without letters that have a case (the search is then a plain, case-sensitive
    ``LIKE``: see ``presidium.filters.contains``; a case-insensitive match could hold pieces the title does not)."""
    return len(value) >= 2 and value.lower() == value.upper()


class HasBigramsOf(Func):
    """``proposals_search_bigrams(title, former_serial) @> ARRAY[the word's pieces]``: the index's condition."""

    function = FUNCTION
    output_field = BooleanField()

    def __init__(self, value: str):
        self.pieces = bigrams(value)
        super().__init__(F("title"), F("former_serial"))

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return f"{sql} @> %s::text[]", (*params, self.pieces)
