"""Many links to pages of one kind at once: made once with a stand-in id, then filled per id.

``reverse()`` costs tens of microseconds a call (the resolver, the URLconf and the script prefix are looked
up each time); a reminder pass links tens of thousands of notifications and e-mails. A link that carries
its object's id and nothing else of it is one string with another number in it: :func:`pk_links` makes it
once with a stand-in id and fills the id in. Where the stand-in does not come out exactly once (a link
that transforms the id, or happens to hold the same digits elsewhere), each link is made in full.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

from django.db import models

STAND_IN = 987654321  # stands for the id in the link made once


def pk_links(link_of: Callable[[int], str]) -> Callable[[int], str]:
    """``link_of(pk)`` for many ids: ``link_of`` is called once, with the stand-in, and its answer filled per id."""
    sample = link_of(STAND_IN)
    head, mark, tail = sample.partition(str(STAND_IN))
    if not mark or str(STAND_IN) in head + tail:
        return link_of
    return lambda pk: f"{head}{pk}{tail}"


def absolute_urls(instances: Sequence[models.Model],
                  url_of: Callable[[models.Model], str] | None = None) -> Callable[[models.Model], str]:
    """``url_of(instance)`` (default ``get_absolute_url``) for a batch of instances of one model, by their ids.

    For links that depend on the instance's id alone: the link is made from a copy of the first instance
    with the stand-in id, and checked against the first and last instances' own links; if either differs
    (a link that reads other fields), every link is made in full.
    """
    url_of = url_of or (lambda instance: instance.get_absolute_url())
    if not instances:
        return url_of
    first = instances[0]

    def with_pk(pk: int) -> str:
        stand_in = copy.copy(first)
        stand_in.pk = pk
        return url_of(stand_in)

    by_pk = pk_links(with_pk)
    if any(by_pk(instance.pk) != url_of(instance) for instance in (first, instances[-1])):
        return url_of
    return lambda instance: by_pk(instance.pk)
