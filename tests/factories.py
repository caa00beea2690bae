"""factory_boy factories shared by every app's tests. Apps add theirs below their section."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from presidium.choices import COUNTY_ROLES, Role
from presidium.models import County, HandlingUnit, RoleAssignment, Term, Township, User
from presidium.sorting import natural_sort_key

PASSWORD = "Test-pass-2026"


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试{n}县")


class TownshipFactory(DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试{n}镇")


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    township = factory.SubFactory(TownshipFactory)
    ordinal = 18
    start_date = dt.date(2021, 12, 28)
    end_date = dt.date(2026, 12, 27)
    is_current = True


class HandlingUnitFactory(DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = "station"
    responsible_leader = "王副镇长"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: Role, scope, **kwargs) -> User:
    """A user holding ``role`` over ``scope`` (a County, Township or HandlingUnit)."""
    user = UserFactory(**kwargs)
    grant = {"user": user, "role": role}
    if role in COUNTY_ROLES:
        grant["county"] = scope
    elif role == Role.UNIT_LIAISON:
        grant["handling_unit"] = scope
    else:
        grant["township"] = scope
    RoleAssignment.objects.create(**grant)
    return user


# --- proposals ------------------------------------------------------------------------------------


def proposals_deputy(township, *, user=None, name: str | None = None, status: str = "serving"):
    """A deputy of ``township`` (optionally the login account ``user``) for the proposals tests."""
    from deputies.models import Deputy

    count = Deputy.objects.count() + 1
    return Deputy.objects.create(township=township, name=name or f"代表{count}", gender="male", user=user,
                                 status=status)


def proposals_suggestion(township, *, lead_deputy=None, by=None, status_to: str = "draft", unit=None,
                         kind: str = "suggestion", title: str = "修缮村道的建议", **extra):
    """A suggestion walked through the real services up to ``status_to`` (draft … closed).

    ``by`` is a superuser unless given (the services check relations; a superuser holds all of them).
    """
    from django.utils import timezone

    from presidium.models import User
    from proposals import services
    from proposals.models import Suggestion

    by = by or User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "proposals_admin", "pa@example.invalid", PASSWORD)
    lead_deputy = lead_deputy or proposals_deputy(township)
    category = services.categories_ensure(township=township)[0]
    suggestion = services.suggestion_create(township=township, by=by, title=title, content="村道年久失修，雨天难行。",
                                            kind=kind, category=category, lead_deputy=lead_deputy, **extra)
    order = ["draft", "submitted", "registered", "assigned", "in_handling", "replied", "closed"]
    target = order.index(status_to) if status_to in order else len(order)
    steps = [
        lambda s: services.suggestion_submit(suggestion=s, by=by),
        lambda s: services.suggestion_register(suggestion=s, by=by),
        lambda s: services.suggestion_assign(suggestion=s, by=by, lead_unit=unit or HandlingUnitFactory(
            township=township), supervision_mode="routine"),
        lambda s: services.consultation_record(suggestion=s, by=by, stage="after_assignment", form="face_to_face",
                                               held_on=timezone.localdate(), participants="代表、单位负责人",
                                               summary="当面听取代表意见") and s,
        lambda s: services.reply_submit(suggestion=s, by=by, text="已列入今年计划并完成修缮。", result_class="A") and s,
        lambda s: (services.suggestion_rate(suggestion=s, by=by, work_grade="satisfied", result_grade="satisfied"),
                   services.suggestion_close(suggestion=s, by=by))[1],
    ]
    for step in steps[:target]:
        suggestion = step(Suggestion.objects.get(pk=suggestion.pk))
    return Suggestion.objects.get(pk=suggestion.pk)


# --- deputies ----------------------------------------------------------------------------------
_DEPUTY_GIVEN = "国建军志明华伟强平东海勇斌涛亮刚峰波辉磊鹏飞林春生德文秀英芳丽红梅兰霞燕玲娟琴萍"


def _deputy_name(n: int) -> str:
    size = len(_DEPUTY_GIVEN)
    return "王李张刘陈杨黄赵"[n % 8] + _DEPUTY_GIVEN[(n // 8) % size] + _DEPUTY_GIVEN[(n // (8 * size)) % size]


class DeputyFactory(DjangoModelFactory):
    """A serving deputy, created through ``deputies.services.deputy_create`` (pinyin, checks, history)."""

    class Meta:
        model = "deputies.Deputy"

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(_deputy_name)
    gender = "male"

    @classmethod
    def _create(cls, model_class, *args, township, name, gender, **kwargs):
        from deputies import services

        user = kwargs.pop("user", None)
        deputy = services.deputy_create(township=township, by=None, name=name, gender=gender, **kwargs)
        if user is not None:
            deputy = services.deputy_link_user(deputy=deputy, by=None, user=user)
        return deputy


class ConstituencyFactory(DjangoModelFactory):
    class Meta:
        model = "deputies.Constituency"

    township = factory.SubFactory(TownshipFactory)
    term = factory.LazyAttribute(lambda o: o.township.current_term())
    name = factory.Sequence(lambda n: f"第{n + 1}选区")
    name_sort_key = factory.LazyAttribute(lambda o: natural_sort_key(o.name))
    seats = 3


class DeputyGroupFactory(DjangoModelFactory):
    class Meta:
        model = "deputies.DeputyGroup"

    township = factory.SubFactory(TownshipFactory)
    term = factory.LazyAttribute(lambda o: o.township.current_term())
    name = factory.Sequence(lambda n: f"第{n + 1}代表小组")
    name_sort_key = factory.LazyAttribute(lambda o: natural_sort_key(o.name))
    kind = "small"


class LiaisonStationFactory(DjangoModelFactory):
    class Meta:
        model = "deputies.LiaisonStation"

    township = factory.SubFactory(TownshipFactory)
    term = factory.LazyAttribute(lambda o: o.township.current_term())
    name = factory.Sequence(lambda n: f"第{n + 1}代表联络站")


class VisitFactory(DjangoModelFactory):
    """A visit row (direct insert, for lists and counts; the services have their own tests)."""

    class Meta:
        model = "deputies.Visit"

    deputy = factory.SubFactory(DeputyFactory)
    township = factory.LazyAttribute(lambda o: o.deputy.township)
    visited_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=3))
    place = "东风村三组"
    method = "home"
    households = 2
    people = 3
    recorded_by = factory.LazyAttribute(lambda o: o.deputy.user or UserFactory())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from deputies import visit_years

        visit = super()._create(model_class, *args, **kwargs)
        visit_years.refresh(visit.deputy_id, [visit.visited_on.year])  # as the visit services keep the yearly rows
        return visit


class VisitOpinionFactory(DjangoModelFactory):
    """An opinion row; like the visit services, it keeps its visit's ``opinion_count``."""

    class Meta:
        model = "deputies.VisitOpinion"

    visit = factory.SubFactory(VisitFactory)
    content = "村道雨天积水，希望尽快修补。"
    category = "infrastructure"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from django.db.models import F

        opinion = super()._create(model_class, *args, **kwargs)
        type(opinion.visit).objects.filter(pk=opinion.visit_id).update(opinion_count=F("opinion_count") + 1)
        opinion.visit.refresh_from_db(fields=["opinion_count"])
        from deputies import visit_years

        visit_years.refresh(opinion.visit.deputy_id, [opinion.visit.visited_on.year])
        return opinion


def deputy_with_account(township, **kwargs):
    """A serving deputy of ``township`` linked to a new login account holding the deputy role there."""
    user = UserFactory()
    return DeputyFactory(township=township, user=user, **kwargs)


# --- petitions (信访) ------------------------------------------------------------------------------------
# Direct inserts for lists, counts and access tests; the full path goes through petitions.services
# (tests/petitions/test_services*.py).


def _valid_id_number(n: int) -> str:
    from deputies.pii import id_check_digit

    first17 = f"330102198{(n % 9) + 1}0{(n % 9) + 1}1{n % 10}{n % 1000:03d}"[:17]
    return first17 + id_check_digit(first17)


class PetitionCategoryFactory(DjangoModelFactory):
    class Meta:
        model = "petitions.Category"
        django_get_or_create = ("township", "name")

    township = factory.SubFactory(TownshipFactory)
    name = "土地房产"


class PetitionFactory(DjangoModelFactory):
    """A registered petition row (direct insert with digests and a query code; no clocks)."""

    class Meta:
        model = "petitions.Petition"
        skip_postgeneration_save = True

    township = factory.SubFactory(TownshipFactory)
    year = 2026
    number = factory.Sequence(lambda n: n + 1)
    channel = "visit"
    received_on = dt.date(2026, 9, 25)
    name = factory.Sequence(lambda n: "王李张刘陈杨黄赵"[n % 8] + "建国")
    mobile = factory.Sequence(lambda n: f"138{n:08d}"[:11])
    id_number = factory.Sequence(_valid_id_number)
    address = "青石镇东风村三组12号"
    village = "东风村"
    subject = factory.Sequence(lambda n: f"宅基地界址纠纷{n}")
    content = "与邻居就宅基地界址发生争议，请求调处。"
    category = factory.LazyAttribute(lambda o: PetitionCategoryFactory(township=o.township))
    query_code = factory.Sequence(lambda n: f"TQ{n:08d}")
    mobile_digest = factory.LazyAttribute(lambda o: _petitions_access().mobile_digest(o.mobile))
    id_number_digest = factory.LazyAttribute(lambda o: _petitions_access().id_number_digest(o.id_number))
    query_code_digest = factory.LazyAttribute(lambda o: _petitions_access().query_code_digest(o.query_code))


def _petitions_access():
    from petitions import access

    return access


class PetitionTransferFactory(DjangoModelFactory):
    class Meta:
        model = "petitions.PetitionTransfer"

    petition = factory.SubFactory(PetitionFactory)
    unit = factory.LazyAttribute(lambda o: HandlingUnitFactory(township=o.petition.township))
    owner_name = "李站长"
    due_on = dt.date(2026, 11, 20)
    transferred_by = factory.SubFactory(UserFactory)


class ReceptionDayFactory(DjangoModelFactory):
    class Meta:
        model = "petitions.ReceptionDay"

    township = factory.SubFactory(TownshipFactory)
    date = factory.Sequence(lambda n: dt.date(2026, 1, 5) + dt.timedelta(weeks=n))
    place = "镇人大代表联络站"


class ReceptionDutyFactory(DjangoModelFactory):
    class Meta:
        model = "petitions.ReceptionDuty"

    day = factory.SubFactory(ReceptionDayFactory)
    deputy = factory.LazyAttribute(lambda o: DeputyFactory(township=o.day.township))


def petition_registered(township, *, by, received_on=None, **kwargs):
    """A petition registered through ``petitions.services.petition_register`` (number, query code, clock)."""
    from petitions.services import petition_register

    values = {"channel": "visit", "subject": "宅基地界址纠纷", "content": "与邻居就宅基地界址发生争议，请求调处。",
              "name": "张建国", "mobile": "13812341234", "id_number": "330102198101100002",
              "address": "东风村三组12号", "village": "东风村", "received_on": received_on or dt.date(2026, 9, 25)}
    values.update(kwargs)
    return petition_register(township=township, by=by, **values)


def petition_at(status: str, township, *, by, unit=None, received_on=None, **kwargs):
    """A petition walked through the services to ``status`` (registered … re_reviewed), read back fresh."""
    petition = petition_registered(township, by=by, received_on=received_on, **kwargs)
    start = petition.received_on

    def day(n):
        return start + dt.timedelta(days=n)

    _petition_walk(petition, status, by=by, unit=unit, township=township, day=day)
    return type(petition).objects.get(pk=petition.pk)


def _petition_walk(petition, status, *, by, unit, township, day):
    from petitions import services

    if status == "registered":
        return
    if status == "answered_on_spot":
        services.petition_answer_on_spot(petition=petition, by=by, answer="当场解释了政策。", on=day(0))
        return
    if status == "not_accepted":
        services.petition_reject(petition=petition, by=by, reason="不属于本机关职责范围。", on=day(3))
        return
    services.petition_accept(petition=petition, by=by, on=day(5))
    if status == "accepted":
        return
    unit = unit or HandlingUnitFactory(township=township)
    services.petition_transfer(petition=petition, by=by, unit=unit, owner_name="李站长", on=day(6))
    if status == "transferred":
        return
    services.petition_unit_reply(petition=petition, by=by, reply="已现场调处，双方达成一致。", reply_public="已现场调处。")
    services.petition_reply(petition=petition, by=by, findings="true", request_reasonable=True, resolution="solved",
                            text="经调查属实，已调处。", public_text="经调查属实，已调处。", on=day(30))
    if status == "replied":
        return
    if status == "closed":
        services.petition_close(petition=petition, by=by)
        return
    services.petition_review_request(petition=petition, by=by, reason="对调处结果不服。", requested_on=day(40))
    if status == "review_requested":
        return
    services.petition_review_decide(petition=petition, by=by, decision="upheld", text="维持原答复。",
                                    public_text="维持原答复。", on=day(50))
    if status == "reviewed":
        return
    services.petition_review_request(petition=petition, by=by, reason="仍不服。", requested_on=day(55))
    if status == "re_review_requested":
        return
    services.petition_review_decide(petition=petition, by=by, decision="upheld", text="维持复查意见。",
                                    public_text="维持复查意见。", on=day(60))


# --- bulletins ------------------------------------------------------------------------------------


class BulletinSeriesFactory(DjangoModelFactory):
    """A township's 人大信息 series (compiled by its presidium)."""

    class Meta:
        model = "bulletins.BulletinSeries"

    township = factory.SubFactory(TownshipFactory)
    county = factory.LazyAttribute(lambda o: o.township.county if o.township else CountyFactory())
    kind = "news"
    masthead = "人大信息"
    compiling_body = factory.LazyAttribute(lambda o: f"{o.township.name if o.township else o.county.name}人大主席团编")
    responsible_editor = "李编辑"


class BulletinIssueFactory(DjangoModelFactory):
    """A draft issue; ``articles`` (default 1) adds that many articles through the service."""

    class Meta:
        model = "bulletins.BulletinIssue"
        skip_postgeneration_save = True

    series = factory.SubFactory(BulletinSeriesFactory)
    issue_date = dt.date(2026, 5, 30)
    responsible_editor = "李编辑"

    @factory.post_generation
    def articles(self, create, extracted, **kwargs):
        if not create:
            return
        from presidium.bulletins import services

        for index in range(1 if extracted is None else extracted):
            services.article_create(issue=self, by=None, title=f"镇人大主席团开展代表视察活动（{index + 1}）",
                                    body="为推动民生实事落实，镇人大主席团组织部分代表开展视察。\n代表们实地查看了项目进展。",
                                    source="镇人大办")


def signed_off_issue(**kwargs):
    """A signed-off issue (numbered)."""
    from presidium.bulletins import services

    issue = BulletinIssueFactory(**kwargs)
    return services.issue_sign_off(issue=issue, by=None)


def published_issue(**kwargs):
    """A published issue (numbered, PDF stored)."""
    from presidium.bulletins import services

    return services.issue_publish(issue=signed_off_issue(**kwargs), by=None)

# --- evaluations: units (工作评议) ----------------------------------------------------------------------


def unit_campaign(township, *, by, units=None, scheme_kind: str = "indicators", period_kind: str = "quarterly",
                  year: int | None = None, indicators=(("工作作风", 40), ("办事效率", 60)), **rules):
    """A campaign of ``township`` through ``evaluations.units.services`` with direct-score indicators
    (``(title, max points)`` pairs; none for the three-grade ballot)."""
    from django.utils import timezone

    from evaluations.units import services

    year = year or timezone.localdate().year
    units = units or [HandlingUnitFactory(township=township, name=f"评议单位{n}") for n in range(1, 4)]
    campaign = services.campaign_create(township=township, year=year, title=f"{year}年度站所评议", by=by,
                                        period_kind=period_kind, scheme_kind=scheme_kind, methods=["questionnaire"],
                                        units=units, **rules)
    if scheme_kind == "indicators":
        for title, points in indicators:
            services.indicator_add(campaign=campaign, by=by, title=title, max_points=points)
    return campaign


def unit_voters(township, n: int):
    """``n`` serving deputies of ``township`` with accounts (the roll of a round)."""
    return [deputy_with_account(township) for _ in range(n)]


def unit_round_open(campaign, *, by, number: int = 1):
    """Round ``number`` of ``campaign`` opened with a voting window around today."""
    from django.utils import timezone

    from evaluations.units import services

    today = timezone.localdate()
    round_ = campaign.rounds.get(number=number)
    services.round_update_window(round_=round_, by=by, opens_on=today - dt.timedelta(days=1),
                                 closes_on=today + dt.timedelta(days=5))
    return services.round_open(round_=round_, by=by)

# --- evaluations: county scorecards ---------------------------------------------------------------


def scorecard_checklist(county, *, by, items=((10, ""), (10, "")), start: dt.date | None = None,
                        due: dt.date | None = None, publish: bool = False, title: str = "第一季度乡镇人大工作指导清单"):
    """A checklist with items ((points, indicator key), …) made through the services, published if asked."""
    from decimal import Decimal

    from evaluations.scorecards import services

    if start is None:
        from django.utils import timezone

        today = timezone.localdate()
        start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)  # this quarter: tests hold on any clock
    end = services.next_period("quarter", start)[0] - dt.timedelta(days=1)
    checklist = services.checklist_create(county=county, title=title, period_kind="quarter", period_start=start,
                                          period_end=end, responses_due=due or end, by=by)
    for n, (points, key) in enumerate(items, start=1):
        services.checklist_item_save(checklist=checklist, by=by, title=f"事项{n}", points=Decimal(str(points)),
                                     indicator_key=key, section="基础工作")
    if publish:
        checklist = services.checklist_publish(checklist=checklist, by=by, on=start)
    return checklist

# --- meetings (会议活动) -------------------------------------------------------------------------------
# Direct inserts for lists, counts and access tests; scheduling with its invitations and notices goes
# through presidium.meetings.services (tests/meetings/test_services.py).


def _next_week_at(hour: int):
    from django.utils import timezone

    day = timezone.localdate() + dt.timedelta(days=7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class PresidiumMembershipFactory(DjangoModelFactory):
    class Meta:
        model = "presidium.PresidiumMembership"

    term = factory.SubFactory(TermFactory)
    name = factory.Sequence(lambda n: f"主席团成员{n}")
    position = "member"


class MeetingFactory(DjangoModelFactory):
    """A scheduled presidium meeting next week (pass ``kind``/``session_number`` for a session)."""

    class Meta:
        model = "meetings.Meeting"

    township = factory.SubFactory(TownshipFactory)
    term = factory.LazyAttribute(lambda o: o.township.current_term())
    kind = "presidium_meeting"
    title = factory.Sequence(lambda n: f"主席团第{n + 1}次会议")
    starts_at = factory.LazyFunction(lambda: _next_week_at(9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "镇政府三楼会议室"
    status = "scheduled"


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = "meetings.Invitation"

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"参会人{n}")
    role = "member"
    counts_for_quorum = True
    status = "invited"


def meeting_with_members(township, *, members: int, kind: str = "presidium_meeting", **kwargs):
    """A meeting whose ``members`` invitations count for the quorum (no accounts, no notices)."""
    meeting = MeetingFactory(township=township, kind=kind, **kwargs)
    for _i in range(members):
        InvitationFactory(meeting=meeting)
    return meeting


# --- votes ------------------------------------------------------------------------------------------


def votes_meeting(township, *, kind: str = "congress_session", present: int = 0, leave: int = 0, absent: int = 0,
                  unrecorded: int = 0, attendees: int = 0, starts_at=None, title: str = ""):
    """A meeting of ``township`` with invited members in each attendance state (names 代表1, 代表2, …) and
    ``attendees`` who sit in (列席, not counted); built directly, as the meetings app's own factories would."""
    from django.utils import timezone

    from presidium.meetings.models import Invitation, Meeting

    term = Term.objects.filter(township=township, is_current=True).first() or TermFactory(township=township)
    starts_at = starts_at or timezone.now() - dt.timedelta(hours=2)
    number = None
    if kind == "congress_session":
        number = (Meeting.objects.filter(term=term, kind=kind).count() or 0) + 1
    meeting = Meeting.objects.create(
        township=township, term=term, kind=kind, session_number=number,
        title=title or (f"第十八届人民代表大会第{number}次会议" if number else "主席团会议"),
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=3), place="镇政府三楼会议室", status="held")
    states = ["present"] * present + ["leave"] * leave + ["absent"] * absent + ["invited"] * unrecorded
    Invitation.objects.bulk_create([
        Invitation(meeting=meeting, name=f"代表{n}", status=state, position=n,
                   leave_reason="外出务工" if state == "leave" else "")
        for n, state in enumerate(states, start=1)
    ] + [Invitation(meeting=meeting, name=f"列席{n}", role="attendee", counts_for_quorum=False, status="present",
                    position=100 + n) for n in range(1, attendees + 1)])
    return meeting


class LivelihoodProjectFactory(DjangoModelFactory):
    class Meta:
        model = "votes.LivelihoodProject"

    township = factory.SubFactory(TownshipFactory)
    year = 2026
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"民生实事项目{n}")
    budget = factory.Sequence(lambda n: 10 * (n % 5 + 1))
    unit = factory.LazyAttribute(lambda o: HandlingUnitFactory(township=o.township))


def vote_at(township, state: str = "created", *, kind: str = "show_of_hands", yes: int = 8, no: int = 1,
            abstain: int = 1):
    """A resolution vote of ``township`` in ``state``, built directly (counted and published ones with a snapshot
    of 11 entitled, 10 present and their agreed figures)."""
    from presidium.votes.models import Vote, VoteItem

    meeting = votes_meeting(township, present=10, leave=1)
    counted = state in ("counted", "published")
    vote = Vote.objects.create(
        township=township, meeting=meeting, subject="resolution", title="关于年度工作报告的决议", kind=kind,
        state=state, entitled_count=11 if counted else None, present_count=10 if counted else None,
        leave_count=1 if counted else None, absent_count=0 if counted else None,
        snapshot={"entitled": [f"代表{n}" for n in range(1, 12)], "present": [f"代表{n}" for n in range(1, 11)],
                  "leave": [{"name": "代表11", "reason": "外出务工"}], "absent": []} if counted else {},
        adopted=(yes * 2 > 11) if state == "published" else None)
    published = state == "published"
    VoteItem.objects.create(vote=vote, position=1, label=vote.title, yes=yes if published else None,
                            no=no if published else None, abstain=abstain if published else None,
                            adopted=(yes * 2 > 11) if published else None)
    return vote


def adopted_project(township, *, with_photo: bool = False, **kwargs):
    """An adopted livelihood project of ``township`` (optionally with one progress entry carrying a photo)."""
    if with_photo:
        kwargs = {"progress": 60, "progress_status": "in_progress", **kwargs}
    project = LivelihoodProjectFactory(township=township, status="adopted", vote_rank=1,
                                       unit=HandlingUnitFactory(township=township), **kwargs)
    if with_photo:
        import io

        from django.core.files.base import ContentFile
        from PIL import Image

        from presidium.votes.models import ProgressEntry, ProgressPhoto

        entry = ProgressEntry.objects.create(project=project, on=dt.date(2026, 6, 1), text="主体完工", progress=60)
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")
        photo = ProgressPhoto(entry=entry, original_name="现场.jpg", size_bytes=buffer.tell())
        photo.file.save("photo.jpg", ContentFile(buffer.getvalue()), save=False)
        photo.save()
    return project
