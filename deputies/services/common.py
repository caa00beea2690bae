"""Helpers every deputies service shares: validated save with the author recorded for history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from deputies.models import Deputy


def save(obj, *, by, fields: list[str] | None = None, exclude: list[str] | None = None):
    """``full_clean()`` then save (``update_fields`` on existing rows); history records ``by``."""
    obj._history_user = by
    obj.full_clean(exclude=exclude)
    if fields and obj.pk:
        obj.save(update_fields=fields)
    else:
        obj.save()
    return obj


def same_township(deputy_or_township_id, *objects, field: str = "township_id") -> None:
    """Every related object must belong to the same township (a form could be tampered with)."""
    township_id = getattr(deputy_or_township_id, "township_id", deputy_or_township_id)
    for obj in objects:
        if obj is not None and getattr(obj, field) != township_id:
            raise ValidationError(_("所选“%(obj)s”不属于本乡镇。") % {"obj": obj})


def lock(deputy: Deputy) -> Deputy:
    """Re-read the deputy under a row lock (PostgreSQL) so concurrent changes queue."""
    return Deputy.objects.select_for_update().get(pk=deputy.pk)
