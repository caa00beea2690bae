"""Model instances from plain rows: what ``select_related(...).only(...)`` gives, at a fraction of its cost.

The reminder pass loads thousands of matters a batch with their related rows (a suggestion with its unit,
its leader's account and its deputy's account: five instances a row) and the accounts it tells. Django
builds each such instance through ``Model.__init__``, which walks every concrete field of the model — 55
for a suggestion — to mark the fields left out as deferred; a batch of 500 suggestions cost about 60 ms
of CPU that way against 11 ms for the same columns read as tuples. A :class:`Shape` reads the columns as
tuples (``values_list``) and makes each instance as Django's loading leaves it: the fields read in its
``__dict__`` (a field not read is deferred, as ``only`` leaves it, and costs a query when touched), the
related instances (or None) in its relations' cache, ``_state`` saying it came from the database. No
model of the pass has ``pre_init``/``post_init`` receivers or its own ``from_db``; a model that has one
must not be loaded this way (:meth:`Shape.check` refuses it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


@dataclass(frozen=True)
class Shape:
    """A model's instance as it is read: ``fields`` (names; the primary key first) and related ``shapes``.

    ``related`` pairs the name of a forward foreign key or one-to-one field with the shape of what it
    points at; a row whose related primary key is NULL gets None there, as ``select_related`` gives.
    """

    model: type[models.Model]
    fields: tuple[str, ...]
    related: tuple[tuple[str, Shape], ...] = ()

    def __post_init__(self):
        meta = self.model._meta
        if not self.fields or meta.get_field(self.fields[0]) != meta.pk:
            raise ValueError(f"Shape({meta.label}): the primary key must be the first field")
        related = []
        for name, shape in self.related:
            field = meta.get_field(name)
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                raise ValueError(f"Shape({meta.label}): {name} is not a forward relation")
            # The reverse side of a one-to-one is cached too, as select_related does.
            related.append((name, shape, field.remote_field if field.one_to_one else None))
        # Worked out once, not per row.
        object.__setattr__(self, "_attnames", tuple(meta.get_field(name).attname for name in self.fields))
        object.__setattr__(self, "_related", tuple(related))

    @property
    def attnames(self) -> tuple[str, ...]:
        return self._attnames

    def paths(self, prefix: str = "") -> list[str]:
        """The ``values_list`` lookups of this shape's columns, in the order :meth:`make` reads them."""
        own = [f"{prefix}{name}" for name in self.attnames]
        return own + [path for name, shape in self.related for path in shape.paths(f"{prefix}{name}__")]

    def check(self) -> None:
        """Refuse a model whose instances need ``__init__`` (signal receivers, its own ``from_db``)."""
        model = self.model
        if model.from_db.__func__ is not models.Model.from_db.__func__:
            raise ValueError(f"{model._meta.label} has its own from_db: load it through the ORM")
        if pre_init.has_listeners(model) or post_init.has_listeners(model):
            raise ValueError(f"{model._meta.label} has init signal receivers: load it through the ORM")
        for _name, shape in self.related:
            shape.check()

    def load(self, queryset: models.QuerySet) -> list[models.Model]:
        """The instances of ``queryset``'s rows (one query; its model must be this shape's)."""
        if queryset.model is not self.model:
            raise ValueError(f"Shape({self.model._meta.label}) cannot load {queryset.model._meta.label}")
        self.check()
        db = queryset.db
        return [self.make(iter(row), db) for row in queryset.values_list(*self.paths())]

    def make(self, values: Iterator, db: str) -> models.Model | None:
        """One instance from the next values of ``values`` (None when its primary key is NULL)."""
        own = {name: next(values) for name in self._attnames}
        related = [(name, shape.make(values, db), reverse) for name, shape, reverse in self._related]  # all consumed
        if own[self._attnames[0]] is None:
            return None
        model = self.model
        instance = model.__new__(model)
        instance.__dict__.update(own)
        state = instance._state = ModelState()
        state.adding, state.db = False, db
        if related:
            cache = state.fields_cache
            for name, target, reverse in related:
                cache[name] = target
                if reverse is not None and target is not None:
                    reverse.set_cached_value(target, instance)
        return instance
