"""Reads of the bulletins app that encode a rule; every list starts from a ``*_visible_to`` helper."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from presidium.access import STAFF_ROLES, scope_of
from presidium.bulletins.choices import IssueState
from presidium.bulletins.models import Article, BulletinIssue, BulletinRecipient, BulletinSeries
from presidium.choices import COUNTY_ROLES, Role


def _managed_series_q(scope, prefix: str = "") -> Q:
    """Series the scope manages: its townships' (staff, chair) and its counties' own (county admin)."""
    townships = sorted(scope.township_ids(STAFF_ROLES))
    counties = sorted(scope.county_ids({Role.COUNTY_ADMIN}))
    condition = Q(pk__in=[])
    if townships:
        condition |= Q(**{f"{prefix}township_id__in": townships})
    if counties:
        condition |= Q(**{f"{prefix}county_id__in": counties, f"{prefix}township__isnull": True})
    return condition


def series_visible_to(user) -> QuerySet[BulletinSeries]:
    """Series whose issue lists the user may open: managed ones, and every series of a county role's county."""
    scope = scope_of(user)
    qs = BulletinSeries.objects.select_related("county", "township")
    if scope.is_superuser:
        return qs
    condition = _managed_series_q(scope)
    county_ids = sorted(scope.county_ids(COUNTY_ROLES))
    if county_ids:
        condition |= Q(county_id__in=county_ids)
    return qs.filter(condition)


def series_managed_by(user) -> QuerySet[BulletinSeries]:
    scope = scope_of(user)
    qs = BulletinSeries.objects.select_related("county", "township")
    return qs if scope.is_superuser else qs.filter(_managed_series_q(scope))


def issues_visible_to(user) -> QuerySet[BulletinIssue]:
    """Issues the user may open.

    Managers see every issue of their series, drafts included; county roles the published issues of
    their county; deputies the published issues of their township's series and those sent to them; a
    liaison the published issues sent to their unit.
    """
    scope = scope_of(user)
    qs = BulletinIssue.objects.select_related("series__township", "series__county")
    if scope.is_superuser:
        return qs
    if scope.user_id is None:
        return qs.none()
    condition = _managed_series_q(scope, "series__")
    published = Q(pk__in=[])
    county_ids = sorted(scope.county_ids(COUNTY_ROLES))
    if county_ids:
        published |= Q(series__county_id__in=county_ids)
    deputy_townships = sorted(scope.township_ids({Role.DEPUTY}))
    if deputy_townships:
        published |= Q(series__township_id__in=deputy_townships)
    sent = BulletinRecipient.objects.filter(issue=OuterRef("pk"))
    sent_condition = Q(user_id=scope.user_id)
    if scope.unit_ids():
        sent_condition |= Q(unit_id__in=sorted(scope.unit_ids()))
    published |= Exists(sent.filter(sent_condition))
    condition |= Q(state=IssueState.PUBLISHED) & published
    return qs.filter(condition)


def issues_to_read(user) -> QuerySet[BulletinIssue]:
    """The reading list: published issues the user may open, newest first."""
    return issues_visible_to(user).filter(state=IssueState.PUBLISHED).order_by("-issue_date", "-pk")


def issue_matches(text: str) -> Q:
    """Issues whose articles' titles, bodies or sources contain ``text`` (plain icontains: works on SQLite and
    PostgreSQL; a trigram index can back it on PostgreSQL)."""
    articles = Article.objects.filter(issue=OuterRef("pk")).filter(
        Q(title__icontains=text) | Q(body_text__icontains=text) | Q(source__icontains=text))
    return Exists(articles)
