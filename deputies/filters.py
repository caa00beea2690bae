"""FilterSets of the deputies app's lists (django-filter). Choices of related rows follow visibility."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Replace
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.access import VIEW_DUTY, is_deputy_only
from deputies.archive import three_no_status
from deputies.choices import (
    AgeBand,
    DeputyLevel,
    DeputyStatus,
    Education,
    Gender,
    GroupKind,
    PersonalDataPurpose,
    PoliticalAffiliation,
    Sector,
    StationKind,
    StationLevel,
    VisitMethod,
)
from deputies.models import (
    Constituency,
    Deputy,
    DeputyGroup,
    LiaisonStation,
    PersonalDataAccess,
    Visit,
    VisitOpinion,
)
from deputies.selectors import ALL_TERMS, CURRENT_TERM, deputies_behind, targets_for, term_q, year_bounds
from presidium.access import scope_of, township_ids_where, townships_visible_to
from presidium.choice_rows import stamped_rows
from presidium.filters import (
    YES_NO_ALL,
    ModelChoiceFilter,
    PortalFilterSet,
    WithTownshipChoiceField,
    contains,
    stamped_options,
)
from presidium.forms import BoundedModelChoiceField
from presidium.home_cards import kept_sql
from presidium.pinyin import looks_like_pinyin, normalize_pinyin_query


def _user(request):
    return getattr(request, "user", None)


@stamped_options
def _townships(request):
    # the options are named by the township alone: its county is not joined (20 instances a county request)
    return townships_visible_to(_user(request)).select_related(None)


def _scoped(model, **extra):
    def queryset(request):
        return model.objects.filter(township__in=townships_visible_to(_user(request)), **extra).select_related(
            "township")
    queryset.keyed = True  # its SQL depends on the user's scope alone (the filterset adds the term): kept
    return stamped_options(queryset)


# --- the options of the lists' selects: their SQL compiled once per process, their rows read on every request ---
#
# A county filter form lists its 20 townships, 21 terms and ~1,100 groups, stations and constituencies. Their rows
# are few and cheap to read; building each select's queryset through the visibility rules and compiling it cost
# more (about 1 ms of CPU a select), and so did reading them through the ORM. The SQL of each depends only on the
# user's scope (their roles and townships, read from the database on every request), the chosen term and the code:
# a process keeps it under that key, as ``presidium.home_cards`` keeps the cards' SQL. The rows themselves are kept
# under the stamp of the tables they come from (``presidium.choice_rows``), read once a request: a new or renamed
# group, station, township or term writes a new stamp, and shows at once.

def kept_rows(key: tuple, build, stamp: int | None = None) -> list[tuple]:
    """The rows of ``build()`` (a ``values_list`` queryset, whose SQL depends on ``key`` alone) as tuples: the SQL
    compiled the first time a process meets ``key`` (``presidium.home_cards.kept_sql``); the rows read again unless
    this process read them under the same ``stamp`` (:func:`presidium.choice_rows.choices_stamp`)."""
    key = ("deputies_choices", *key)
    return stamped_rows(key, stamp, lambda: kept_sql(key, build).tuples())


class _KeptNamedRowsIterator(ModelChoiceIterator):
    """The options of a :class:`KeptNamedChoiceField`: (id, name) — or (id, "township · name") for a user who sees
    several townships — from the kept SQL."""

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        key, stamp = field.kept_key, field.kept_stamp
        if field.with_township:
            build = lambda: self.queryset.values_list("pk", "township__name", "name")  # noqa: E731
            rows = kept_rows((*key, "with_township"), build, stamp) if key is not None else build()
            for pk, township_name, name in rows:
                yield ModelChoiceIteratorValue(pk, None), f"{township_name} · {name}"
        else:
            build = lambda: self.queryset.values_list("pk", "name")  # noqa: E731
            rows = kept_rows((*key, "named"), build, stamp) if key is not None else build()
            for pk, name in rows:
                yield ModelChoiceIteratorValue(pk, None), name


class KeptNamedChoiceField(BoundedModelChoiceField):
    """A select of rows named by their ``name`` field (``str(row) == row.name``: groups, stations, constituencies),
    whose options are read as values by SQL kept under ``kept_key`` (set by the filterset): a township's staff
    had each select's queryset built, compiled and read as model instances on every request (2-3 ms a select)."""

    iterator = _KeptNamedRowsIterator
    kept_key = kept_stamp = None
    with_township = False


class KeptWithTownshipChoiceField(WithTownshipChoiceField):
    """``WithTownshipChoiceField`` whose options are read by SQL kept under ``kept_key`` (set by the filterset)."""

    iterator = _KeptNamedRowsIterator
    kept_key = kept_stamp = None
    with_township = True


class _ListedIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.field.listed
        for pk, name in (rows if rows is not None else self.queryset.values_list("pk", "name")):
            yield ModelChoiceIteratorValue(pk, None), name


class ListedTownshipChoiceField(BoundedModelChoiceField):
    """The 乡镇 select of a user who sees several townships: the (id, name) rows the filterset already read
    (``str(township)`` is its name); the posted choice is still checked against the queryset."""

    iterator = _ListedIterator
    listed = None


class ScopedFilterSet(PortalFilterSet):
    """Drops the township filter for users who see a single township (staff): nothing to choose.

    For users who see several (the county), groups, stations and constituencies are named with their township.
    The visible townships are read once, as (id, name) rows by kept SQL: their number decides, and for the county
    they are the 乡镇 select's options (it read them again, as instances, after a count of its own).
    """

    keeps_card = True  # the options come from the stamped tables (presidium.choice_rows) and the user's scope

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self.request)
        self._kept_keys: dict[str, tuple] = {}
        self._townships_listed = None
        if user is None:
            return
        scope = scope_of(user)
        townships = kept_rows(("townships", scope), lambda: _townships(self.request).values_list("pk", "name"),
                              self._stamp)
        several = len(townships) > 1
        if not several:
            self.filters.pop("township", None)
        elif "township" in self.filters and type(self.filters["township"]) is ModelChoiceFilter:
            self.filters["township"].field_class = ListedTownshipChoiceField
            self._townships_listed = townships
        for name, choice in self.filters.items():
            if name == "township" or type(choice) is not ModelChoiceFilter:
                continue
            keyed = callable(choice.extra.get("queryset")) and getattr(choice.extra["queryset"], "keyed", False)
            if several:
                choice.field_class = KeptWithTownshipChoiceField
            elif keyed:  # one township: the rows are named by their name alone (any other select stays Django's)
                choice.field_class = KeptNamedChoiceField
            if keyed:
                self._kept_keys[name] = (f"{type(self).__module__}.{type(self).__qualname__}", name, scope)

    def get_form_class(self):
        form_class = super().get_form_class()
        fields = form_class.base_fields
        for name, key in self._kept_keys.items():
            if name in fields:
                fields[name].kept_key, fields[name].kept_stamp = key, self._stamp
        if self._townships_listed is not None and "township" in fields:
            fields["township"].listed = self._townships_listed
        return form_class


def term_choices(user, stamp: int | None = None) -> list[tuple[str, str]]:
    """本届 (the default), 全部届次, then each term of the townships ``user`` sees (named with the township when several).

    Read as values (a county's 21 terms and their townships were built as instances for their labels); a term's
    label is still ``str(Term)``, made once per ordinal."""
    from presidium.models import Term

    terms = kept_rows(("terms", scope_of(user)), lambda: Term.objects.filter(
        township__in=townships_visible_to(user).select_related(None)).order_by("township__name", "-ordinal")
        .values_list("pk", "ordinal", "township_id", "township__name"), stamp)
    several = len({township_id for _pk, _ordinal, township_id, _name in terms}) > 1
    labels: dict[int, str] = {}
    for _pk, ordinal, _township_id, _name in terms:
        if ordinal not in labels:
            labels[ordinal] = str(Term(ordinal=ordinal))
    return [(CURRENT_TERM, _("本届")), (ALL_TERMS, _("全部届次"))] + [
        (str(pk), f"{name} {labels[ordinal]}" if several else labels[ordinal]) for pk, ordinal, _t, name in terms]


class TermFilterMixin:
    """A 届次 choice defaulting to 本届; the group, station and constituency choices follow the chosen term."""

    term_prefix = ""

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("term"):
            data["term"] = CURRENT_TERM
        super().__init__(data, *args, **kwargs)
        self.filters["term"].extra["choices"] = term_choices(_user(self.request), self._stamp)
        term = data.get("term", CURRENT_TERM)
        chosen = term_q(term)
        # the kept SQL of the choices below is the chosen term's: the term is part of its key
        term_key = ALL_TERMS if chosen is None else (int(term) if term.isdigit() else CURRENT_TERM)
        for name in ("group", "station", "constituency"):
            if name in self._kept_keys:
                self._kept_keys[name] += (term_key,)
            choice = self.filters.get(name)
            if choice is None or chosen is None:
                continue
            # The filter's own queryset: django-filter builds the field from it, replacing extra["queryset"]
            # (which is how the term once failed to narrow these options: every term's were listed).
            make = choice.queryset
            choice.queryset = (lambda request, make=make: make(request).filter(chosen)) if callable(make) \
                else make.filter(chosen)
            if getattr(make, "stamped", False):  # the term is in the card's key (the bound data)
                stamped_options(choice.queryset)

    def filter_term(self, queryset, name, value):
        condition = term_q(value, prefix=self.term_prefix)
        return queryset if condition is None else queryset.filter(condition)


def _term_filter():
    return django_filters.ChoiceFilter(label=_("届次"), choices=[], method="filter_term", empty_label=None)


def search_deputies(queryset, value: str):
    """Name (汉字), full pinyin ("zhangsan", "zhang san") or initials ("zs")."""
    value = (value or "").strip()
    if not value:
        return queryset
    if looks_like_pinyin(value):
        letters = normalize_pinyin_query(value)
        if not letters:
            return queryset
        return queryset.annotate(_py=Replace("name_pinyin", Value(" "), Value(""))).filter(
            Q(name_initials__startswith=letters) | Q(_py__startswith=letters)
        )
    return queryset.filter(contains("name", value))


def age_band_births(band: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The birth dates (earliest, latest, both included) of those whose age today falls in ``band``."""
    today = today or timezone.localdate()
    low, high = AgeBand(band).bounds

    def birthday_years_ago(years: int) -> dt.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    youngest = birthday_years_ago(low)  # born on or before this date: at least ``low`` years old
    oldest = birthday_years_ago(high + 1) + dt.timedelta(days=1)  # born after: at most ``high``
    return oldest, youngest


def age_band_q(band: str, today: dt.date | None = None, prefix: str = "") -> Q:
    """Deputies whose age today falls in ``band`` (a range on birth dates, so it uses the index)."""
    oldest, youngest = age_band_births(band, today)
    return Q(**{f"{prefix}birth_date__lte": youngest, f"{prefix}birth_date__gte": oldest})


class DeputyFilter(TermFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("姓名/拼音/首字母"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("如 张三、zhangsan、zs")}))
    term = _term_filter()
    township = ModelChoiceFilter(label=_("乡镇"), queryset=_townships)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DeputyStatus.choices, empty_label=_("全部"))
    level = django_filters.ChoiceFilter(label=_("层级"), choices=DeputyLevel.choices)
    group = ModelChoiceFilter(label=_("代表小组"), queryset=_scoped(DeputyGroup, kind=GroupKind.SMALL))
    station = ModelChoiceFilter(label=_("联络站"), queryset=_scoped(LiaisonStation))
    constituency = ModelChoiceFilter(label=_("选区"), queryset=_scoped(Constituency))
    affiliation = django_filters.ChoiceFilter(label=_("政治面貌"), choices=PoliticalAffiliation.choices)
    gender = django_filters.ChoiceFilter(label=_("性别"), choices=Gender.choices)
    sector = django_filters.ChoiceFilter(label=_("界别"), choices=Sector.choices)
    education = django_filters.ChoiceFilter(label=_("文化程度"), choices=Education.choices)
    age_band = django_filters.ChoiceFilter(label=_("年龄段"), choices=AgeBand.choices, method="filter_age")

    class Meta:
        model = Deputy
        fields = ["q", "term", "township", "status", "level", "group", "station", "constituency", "affiliation", "gender",
                  "sector", "education", "age_band"]

    def __init__(self, data=None, *args, **kwargs):
        # Serving deputies unless the user asks otherwise ("全部" is an explicit empty choice).
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("status", DeputyStatus.SERVING)
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        return search_deputies(queryset, value)

    def filter_age(self, queryset, name, value):
        return queryset.filter(age_band_q(value)) if value else queryset


PLACE_PROBE = 200  # the newest visits on which a search judges how common its words are among places


def _mostly_places(queryset, value: str) -> bool:
    """Whether at least half of the newest ``PLACE_PROBE`` visits of ``queryset`` have ``value`` in their place
    (one query)."""
    newest = queryset.order_by("-visited_on", "-pk").values("pk")[:PLACE_PROBE]
    counts = Visit.objects.filter(pk__in=newest).aggregate(n=Count("pk"), found=Count("pk", filter=contains("place", value)))
    return counts["n"] > 0 and counts["found"] * 2 >= counts["n"]


class VisitFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("代表/地点/意见"), method="search")
    township = ModelChoiceFilter(label=_("乡镇"), queryset=_townships)
    group = ModelChoiceFilter(label=_("代表小组"), field_name="deputy__group",
                                             queryset=_scoped(DeputyGroup, kind=GroupKind.SMALL))
    method = django_filters.ChoiceFilter(label=_("走访方式"), choices=VisitMethod.choices)
    start = django_filters.DateFilter(label=_("起始日期"), field_name="visited_on", lookup_expr="gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    end = django_filters.DateFilter(label=_("截止日期"), field_name="visited_on", lookup_expr="lte",
                                    widget=forms.DateInput(attrs={"type": "date"}))
    has_opinions = django_filters.BooleanFilter(label=_("有无意见"), method="filter_opinions",
                                                widget=YES_NO_ALL(_("有意见"), _("无意见")))

    class Meta:
        model = Visit
        fields = ["q", "township", "group", "method", "start", "end", "has_opinions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self.request)
        if user is not None and is_deputy_only(user):  # a deputy sees only their own visits
            for name in ("township", "group"):
                self.filters.pop(name, None)

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        deputies = search_deputies(Deputy.objects.all(), value).values("pk")
        # EXISTS, not a join on the opinions and DISTINCT: the join made every visit of a county a row per
        # opinion and sorted them all to remove the copies (3 s for a county's 104,000 visits).
        # The place first: PostgreSQL tests an OR's terms in the order written (most searches name a village).
        # How the opinions are tested depends on how many visits the place alone finds, judged on the newest
        # PLACE_PROBE visits (one small count). With an equality on the visit, PostgreSQL reads and hashes every
        # opinion matching the words once per query (~40 ms for the county's 164,000), before the first row: right
        # for a word few places contain, where every visit needs the opinions' answer. When most visits match on
        # their place ("村"), a range of one value (which PostgreSQL cannot hash) asks the visit_id index for the
        # few rows that need it: the page and its count took 4 ms instead of 90. Either form finds the same visits.
        if _mostly_places(queryset, value):
            said = VisitOpinion.objects.filter(contains("content", value), visit_id__gte=OuterRef("pk"),
                                               visit_id__lte=OuterRef("pk"))
        else:
            said = VisitOpinion.objects.filter(contains("content", value), visit=OuterRef("pk"))
        return queryset.filter(contains("place", value) | Q(deputy__in=deputies) | Exists(said))

    def filter_opinions(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(opinion_count__gt=0) if value else queryset.filter(opinion_count=0)


class ConstituencyFilter(TermFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("名称/村"), method="search")
    term = _term_filter()
    township = ModelChoiceFilter(label=_("乡镇"), queryset=_townships)

    class Meta:
        model = Constituency
        fields = ["q", "term", "township"]

    def search(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(Q(name__icontains=value) | Q(villages__icontains=value)) if value else queryset


class GroupFilter(TermFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")
    term = _term_filter()
    township = ModelChoiceFilter(label=_("乡镇"), queryset=_townships)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=GroupKind.choices)

    class Meta:
        model = DeputyGroup
        fields = ["q", "term", "township", "kind"]


class StationFilter(TermFilterMixin, ScopedFilterSet):
    q = django_filters.CharFilter(label=_("名称/地址"), method="search")
    term = _term_filter()
    township = ModelChoiceFilter(label=_("乡镇"), queryset=_townships)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=StationKind.choices)
    level = django_filters.ChoiceFilter(label=_("层级"), choices=StationLevel.choices)
    is_active = django_filters.BooleanFilter(label=_("状态"), widget=YES_NO_ALL(_("在用"), _("停用")))

    class Meta:
        model = LiaisonStation
        fields = ["q", "term", "township", "kind", "level", "is_active"]

    def search(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value)
                               | Q(village__icontains=value)) if value else queryset


@stamped_options  # the day's alone
def year_choices():
    this_year = timezone.localdate().year
    return [(y, _("%(year)s年") % {"year": y}) for y in range(this_year, this_year - 6, -1)]


class DutyFilter(TermFilterMixin, ScopedFilterSet):
    """The duty overview: serving deputies' visits against targets and the 三不 check, for one year."""

    year = django_filters.ChoiceFilter(label=_("年度"), choices=year_choices, method="keep", empty_label=None)
    term = _term_filter()
    q = django_filters.CharFilter(label=_("姓名/拼音"), method="search")
    township = ModelChoiceFilter(label=_("乡镇"), queryset=_townships)
    group = ModelChoiceFilter(label=_("代表小组"), queryset=_scoped(DeputyGroup, kind=GroupKind.SMALL))
    station = ModelChoiceFilter(label=_("联络站"), queryset=_scoped(LiaisonStation))
    behind = django_filters.BooleanFilter(label=_("走访进度"), method="filter_behind",
                                          widget=YES_NO_ALL(_("落后于目标"), _("达到进度")))
    three_no = django_filters.BooleanFilter(label=_("三不代表"), method="filter_three_no",
                                            widget=YES_NO_ALL(_("是"), _("否")))

    class Meta:
        model = Deputy
        fields = ["year", "term", "q", "township", "group", "station", "behind", "three_no"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("year"):
            data["year"] = str(timezone.localdate().year)
        super().__init__(data, *args, **kwargs)

    @property
    def selected_year(self) -> int:
        if self.is_bound and self.is_valid() and self.form.cleaned_data.get("year"):
            return int(self.form.cleaned_data["year"])
        return timezone.localdate().year

    def keep(self, queryset, name, value):
        return queryset

    def search(self, queryset, name, value):
        return search_deputies(queryset, value)

    def year_targets(self) -> dict | None:
        """The visit targets of every township whose duty the user sees, for the selected year: read once per
        request and shared by the behind filter, the progress column and the targets panel (None: no user)."""
        user = _user(self.request)
        if user is None:
            return None
        year = self.selected_year
        cached = getattr(self, "_year_targets", None)
        if cached is None or cached[0] != year:
            cached = self._year_targets = (year, targets_for(township_ids_where(user, VIEW_DUTY), year))
        return cached[1]

    def filter_behind(self, queryset, name, value):
        if value is None:
            return queryset
        return deputies_behind(queryset, self.selected_year, behind=value, targets=self.year_targets())

    def filter_three_no(self, queryset, name, value):
        if value is None:
            return queryset
        start, end = year_bounds(self.selected_year)
        # Only the flag is read: every source is asked only about the deputies still at zero (exact=()).
        status = three_no_status(list(queryset.values_list("pk", flat=True)), start, end, exact=())
        flagged = [pk for pk, s in status.items() if s.flagged]
        return queryset.filter(pk__in=flagged) if value else queryset.exclude(pk__in=flagged)


class AccessLogFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("查看人/代表"), method="search")
    township = ModelChoiceFilter(label=_("乡镇"), queryset=_townships)
    purpose = django_filters.ChoiceFilter(label=_("用途"), choices=PersonalDataPurpose.choices)
    start = django_filters.DateFilter(label=_("起始日期"), field_name="at", lookup_expr="date__gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    end = django_filters.DateFilter(label=_("截止日期"), field_name="at", lookup_expr="date__lte",
                                    widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = PersonalDataAccess
        fields = ["q", "township", "purpose", "start", "end"]

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(user__real_name__icontains=value) | Q(user__username__icontains=value)
                               | Q(deputy__name__icontains=value))
