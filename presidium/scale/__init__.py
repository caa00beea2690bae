"""County- and province-sized data for benchmarks: ``manage.py seed_demo --scale county|province``.

The ordinary demo (three townships, one year, every story) is built through the services, one call per
record. That shape cannot grow: at about 1.5 s per suggestion a county would take hours. The scale
builders here write the same kinds of rows with ``bulk_create`` instead, shaped by the same rules
(lifecycle states in the right order, deadlines from the working-day calendar, numbers from the
apps' own sequences), so that a county of 20 townships × five years loads in minutes.

How it fits together:

* :class:`ScalePlan` is the shape (townships, years, deputies per township, yearly volumes) and the
  shared helpers (deterministic random streams, historical datetimes, :meth:`ScalePlan.bulk`);
* ``presidium.scale.org`` adds the townships beyond the demo's three, with their term, presidium,
  handling units and accounts (``tNN_chair``, ``tNN_staff``, ``tNN_liaison``, deputies ``tNN_dNNNN``);
* each app registers a :class:`presidium.registry.ScaleStep` (``register_scale_step``) that fills the
  townships the plan built, one township per transaction, and skips a township it has filled
  before — so an interrupted run can simply be started again.

The demo's own townships keep their demo data; the scale townships get the history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import os
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True)
class Shape:
    townships: int
    years: int
    deputies: int  # per township


SHAPES: dict[str, Shape] = {
    "county": Shape(townships=20, years=5, deputies=100),
    "province": Shape(townships=100, years=5, deputies=100),
}

# Yearly volumes per township of ``BASE_DEPUTIES`` deputies; they grow in proportion to the deputies.
BASE_DEPUTIES = 100
YEARLY = {
    "suggestions": 350,   # 20 townships × 5 years ≈ 30,000 (17 built here + the demo's)
    "petitions": 700,     # ≈ 60,000
    "visits": 1200,       # ≈ 100,000, each with one to three opinions
    "meetings": 40,       # presidium meetings, group activities, inspections, a congress session or two
}

BATCH_SIZE = 2000


@dataclass
class ScaleTownship:
    """One township the plan built: what every step needs without querying it again."""

    township: object
    term: object
    index: int  # 1-based, as in the usernames (t04_…)
    units: list = field(default_factory=list)
    chair: object = None
    staff: object = None
    liaisons: dict = field(default_factory=dict)  # unit id → User

    @property
    def prefix(self) -> str:
        return f"t{self.index:02d}"


@dataclass
class ScalePlan:
    shape_name: str
    townships: int
    years: int
    deputies: int
    stdout: object = None
    today: dt.date = field(default_factory=timezone.localdate)
    built: list[ScaleTownship] = field(default_factory=list)
    county: object = None
    admin: object = None  # the superuser, for rows that need an author and have no better one
    password_hash: str = ""

    # --- shape ---------------------------------------------------------------------------------
    @property
    def first_year(self) -> int:
        return self.today.year - self.years + 1

    @property
    def year_list(self) -> list[int]:
        return list(range(self.first_year, self.today.year + 1))

    def yearly(self, kind: str) -> int:
        """How many ``kind`` one township makes in a year at this plan's number of deputies."""
        return max(1, round(YEARLY[kind] * self.deputies / BASE_DEPUTIES))

    def year_span(self, year: int) -> tuple[dt.date, dt.date]:
        """The part of ``year`` that has happened: 1 January to 31 December, or to today this year."""
        return dt.date(year, 1, 1), min(dt.date(year, 12, 31), self.today)

    # --- randomness and time --------------------------------------------------------------------
    @staticmethod
    def rng(*key: object) -> random.Random:
        """A deterministic stream per (step, township, …): the same plan builds the same rows."""
        return random.Random(":".join(str(k) for k in key))

    @staticmethod
    def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        """An aware datetime on ``day`` in the portal's time zone."""
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def random_day(self, rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
        end = max(start, end)
        return start + dt.timedelta(days=rng.randint(0, (end - start).days))

    # --- writing ----------------------------------------------------------------------------------
    def bulk(self, model: type[models.Model], objs: Iterable[models.Model], *, batch_size: int = BATCH_SIZE,
             **kwargs) -> list[models.Model]:
        """``bulk_create`` that keeps historical ``created_at``/``updated_at`` values.

        Django fills ``auto_now``/``auto_now_add`` fields with *now* on insert; a five-year history
        needs the times the builder gave. A field left empty still gets now. Primary keys come back
        on PostgreSQL and on SQLite ≥ 3.35, so the returned objects can be pointed at.
        """
        objs = list(objs)
        if not objs:
            return objs
        now = timezone.now()
        stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
                   or getattr(f, "auto_now_add", False)]
        for obj in objs:
            for f in stamped:
                if getattr(obj, f.attname) is None:
                    setattr(obj, f.attname, now)
        connection = connections[router.db_for_write(model)]
        if connection.vendor == "postgresql" and not kwargs and not os.environ.get("SCALE_NO_COPY"):
            return _copy_in(connection, model, objs, batch_size=max(batch_size, 20000))
        with _no_auto_now(stamped):
            return model.objects.bulk_create(objs, batch_size=batch_size, **kwargs)

    # --- progress -----------------------------------------------------------------------------
    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @contextlib.contextmanager
    def timed(self, label: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.say(f"    {label}: {time.monotonic() - started:.1f} s")

    def each_township(self, step: str, done: callable) -> Iterator[ScaleTownship]:
        """The built townships that ``done(township)`` says are not filled yet, each in a transaction.

        Use as ``for t in plan.each_township("proposals", lambda t: Suggestion.objects.filter(...).exists())``;
        the body runs inside ``transaction.atomic()`` and its time is printed.
        """
        for built in self.built:
            if done(built.township):
                continue
            started = time.monotonic()
            with transaction.atomic():
                yield built
            self.say(f"    {step} · {built.township.name}: {time.monotonic() - started:.1f} s")


# Field classes whose Python values psycopg writes as they are: ``get_db_prep_save`` would only hand them back.
_PLAIN_EXACT = {models.AutoField, models.BigAutoField, models.SmallAutoField, models.CharField, models.TextField,
                models.EmailField, models.SlugField, models.URLField, models.IntegerField, models.BigIntegerField,
                models.SmallIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
                models.PositiveBigIntegerField, models.BooleanField, models.DateField, models.DateTimeField,
                models.UUIDField, models.FloatField, models.DecimalField, models.ForeignKey, models.OneToOneField}
_SEQUENCES: dict[str, str | None] = {}


def _copy_in(connection, model: type[models.Model], objs: list[models.Model], *, batch_size: int) -> list:
    """PostgreSQL: primary keys taken from the table's own sequence in one query, then the rows sent with ``COPY``.

    What ``bulk_create`` does per value in Python (preparing each field, quoting it into the SQL text: most
    of a builder's time) is left to psycopg's binary adapters here; fields that need preparing (encrypted,
    JSON, files …) still go through ``get_db_prep_save``. The objects come back with their primary keys,
    marked saved, exactly as ``bulk_create`` returns them.
    """
    meta = model._meta
    fields = list(meta.concrete_fields)
    table = connection.ops.quote_name(meta.db_table)
    pk = meta.pk
    with connection.cursor() as cursor:
        if isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
            missing = [obj for obj in objs if obj.pk is None]
            if missing:
                if meta.db_table not in _SEQUENCES:
                    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, pk.column])
                    _SEQUENCES[meta.db_table] = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)",
                               [_SEQUENCES[meta.db_table], len(missing)])
                for obj, (value,) in zip(missing, cursor.fetchall(), strict=True):
                    setattr(obj, pk.attname, value)
        plain = [type(f) in _PLAIN_EXACT for f in fields]
        attnames = [f.attname for f in fields]
        # A row built as ``Child(parent=parent)`` before the parent had its key: take the key now, as
        # bulk_create's _prepare_related_fields_for_save does.
        relations = [f for f in fields if f.is_relation and f.many_to_one or f.one_to_one]
        for obj in objs:
            for field in relations:
                if getattr(obj, field.attname) is None and field.is_cached(obj):
                    related = field.get_cached_value(obj)
                    if related is not None:
                        setattr(obj, field.name, related)  # sets the key and keeps the cached object
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        for start in range(0, len(objs), batch_size):
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for obj in objs[start:start + batch_size]:
                    row = []
                    for field, attname, is_plain in zip(fields, attnames, plain, strict=True):
                        value = getattr(obj, attname)
                        if not is_plain:
                            value = field.get_db_prep_save(value, connection)
                        elif isinstance(value, enum.Enum):
                            value = value.value
                        elif isinstance(value, Promise):
                            value = str(value)
                        row.append(value)
                    copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


@contextlib.contextmanager
def _no_auto_now(fields: list[models.Field]) -> Iterator[None]:
    saved = [(f, f.auto_now, getattr(f, "auto_now_add", False)) for f in fields]
    try:
        for f in fields:
            f.auto_now = False
            if hasattr(f, "auto_now_add"):
                f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now = auto_now
            if hasattr(f, "auto_now_add"):
                f.auto_now_add = auto_now_add


def plan_for(shape: str, *, townships: int | None = None, years: int | None = None,
             deputies: int | None = None, stdout=None) -> ScalePlan:
    base = SHAPES[shape]
    return ScalePlan(shape_name=shape, townships=townships or base.townships, years=years or base.years,
                     deputies=deputies or base.deputies, stdout=stdout)
