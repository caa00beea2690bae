"""Every proposals URL as every role, on township A's item and on another county's (see tests/access_matrix.py).

The item in A is led by the world's deputy user and assigned to the world's unit where that matters,
so each role meets it in its real relation: staff of the township, the lead deputy, the lead unit's
liaison, the county. Another county's item is a 404 for everyone.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from presidium.choices import Role
from tests.access_matrix import STAFF, Case, allow, expect
from tests.factories import HandlingUnitFactory, proposals_deputy, proposals_suggestion

COUNTY_ALL = (Role.COUNTY_ADMIN.value, Role.COUNTY_REVIEWER.value)
FIGURES = (*STAFF, *COUNTY_ALL)
DEPUTY = Role.DEPUTY.value
LIAISON = Role.UNIT_LIAISON.value


def _my_deputy(w):
    from deputies.models import Deputy

    return Deputy.objects.filter(user=w.user(DEPUTY)).first() or proposals_deputy(w.township, user=w.user(DEPUTY))


def _own(w, status, **extra):
    return proposals_suggestion(w.township, lead_deputy=_my_deputy(w), status_to=status, unit=w.unit, **extra)


def _foreign(w, status, **extra):
    return proposals_suggestion(w.foreign_township, status_to=status, unit=w.foreign_unit, **extra)


def _pk(build, status, **extra):
    return lambda w: [build(w, status, **extra).pk]


def _admin():
    from presidium.models import User
    from tests.factories import PASSWORD

    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "proposals_admin", "pa@example.invalid", PASSWORD)


def _presidium_motion(township):
    from proposals import services

    admin = _admin()
    motion = services.suggestion_create(township=township, by=admin, title="关于民生实事项目的议案", content="……",
                                        kind="motion", submitter_kind="presidium",
                                        category=services.categories_ensure(township=township)[0])
    services.suggestion_submit(suggestion=motion, by=admin)
    return services.suggestion_register(suggestion=motion, by=admin)


def _co_unit_item(w, township, unit):
    from proposals import services

    item = proposals_suggestion(township, status_to="registered")
    lead = HandlingUnitFactory(township=township)
    return services.suggestion_assign(suggestion=item, by=_admin(), lead_unit=lead, co_units=[unit],
                                      supervision_mode="routine")


def _replied_b(build):
    def make(w):
        from proposals import services

        item = build(w, "in_handling")
        reply = services.reply_submit(suggestion=item, by=_admin(), text="列入明年计划", result_class="B",
                                      promised_date=timezone.localdate() + dt.timedelta(days=30))
        return [item.pk, reply.pk]
    return make


def _pending_extension(build):
    def make(w):
        from proposals import services

        item = build(w, "assigned")
        extension = services.extension_request(suggestion=item, by=_admin(), reason="资金未到位", measures="分步实施",
                                               requested_deadline=item.deadline + dt.timedelta(days=20))
        return [item.pk, extension.pk]
    return make


def _pending_hand_back(build):
    def make(w):
        from proposals import services

        item = build(w, "assigned")
        request = services.suggestion_hand_back_request(suggestion=item, by=_admin(), reason="不属于本单位职责")
        return [item.pk, request.pk]
    return make


def _unsatisfied_rating(build):
    def make(w):
        from proposals import services

        item = build(w, "replied")
        rating = services.suggestion_rate(suggestion=item, by=_admin(), work_grade="unsatisfied",
                                          result_grade="unsatisfied", comment="未解决")
        return [item.pk, rating.pk]
    return make


def _rated(build):
    def make(w):
        from proposals import services

        item = build(w, "replied")
        services.suggestion_rate(suggestion=item, by=_admin(), work_grade="satisfied", result_grade="basic")
        return [item.pk]
    return make


def _cosignature(township_of):
    def make(w):
        from proposals import services
        from proposals.models import Cosignature

        township = township_of(w)
        invited = _my_deputy(w) if township == w.township else proposals_deputy(township)
        item = services.suggestion_create(
            township=township, by=_admin(), title="联名建议", content="……",
            category=services.categories_ensure(township=township)[0], lead_deputy=proposals_deputy(township),
            cosigners=[invited])
        services.suggestion_submit(suggestion=item, by=_admin())
        return [Cosignature.objects.get(suggestion=item).pk]
    return make


def _attachment(build):
    def make(w):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from proposals import services
        from tests.documents.hostile import pdf_bytes

        item = build(w, "assigned")
        upload = SimpleUploadedFile("材料.pdf", pdf_bytes(), content_type="application/pdf")
        return [services.attachment_add(suggestion=item, by=_admin(), upload=upload).pk]
    return make


def _category(township_of):
    def make(w):
        from proposals import services

        return [services.categories_ensure(township=township_of(w))[0].pk]
    return make


def _opinion(township_of, *, answered=False):
    def make(w):
        from proposals import services

        township = township_of(w)
        unit = w.unit if township == w.township else w.foreign_unit
        opinion = services.supervision_opinion_send(by=_admin(), unit=unit, title="关于财政所办理建议的督办意见",
                                                    content="请说明逾期未答复的原因。")
        if answered:
            services.supervision_opinion_answer(opinion=opinion, by=_admin(), answer="已督促财政所本周内答复。")
        return [opinion.pk]
    return make


ALL_200 = expect(200)
OPINION_SENDERS = dict.fromkeys(COUNTY_ALL, 200)

CASES = [
    Case("proposals:list", ALL_200),
    Case("proposals:county_report", allow(COUNTY_ALL), note="county-wide: the county's roles only"),
    Case("proposals:opinion_list", allow(FIGURES)),
    Case("proposals:opinion_detail", expect(404, **dict.fromkeys(FIGURES, 200)),
         own=_opinion(lambda w: w.township), other=_opinion(lambda w: w.foreign_township),
         note="deputies and liaisons never see the county's opinions"),
    Case("proposals:opinion_answer", expect(404, **dict.fromkeys(STAFF, 200), **dict.fromkeys(COUNTY_ALL, 403)),
         own=_opinion(lambda w: w.township), other=_opinion(lambda w: w.foreign_township)),
    Case("proposals:opinion_close", expect(404, **dict.fromkeys(STAFF, 403), **OPINION_SENDERS),
         own=_opinion(lambda w: w.township, answered=True),
         other=_opinion(lambda w: w.foreign_township, answered=True)),
    Case("proposals:opinion_send_item", expect(403, **OPINION_SENDERS), own=_pk(_own, "assigned"),
         other=_pk(_foreign, "assigned"), note="township staff cannot send; another county's item is a 404"),
    Case("proposals:opinion_send_unit", expect(403, **OPINION_SENDERS), own=lambda w: [w.unit.pk],
         other=lambda w: [w.foreign_unit.pk]),
    Case("proposals:create", allow((*STAFF, DEPUTY))),
    Case("proposals:hearing", allow(FIGURES)),
    Case("proposals:figures", allow(FIGURES)),
    Case("proposals:report", allow(FIGURES)),
    Case("proposals:category_list", allow(STAFF)),
    Case("proposals:category_create", allow(STAFF)),
    Case("proposals:category_update", expect(404, **dict.fromkeys(STAFF, 200)),
         own=_category(lambda w: w.township), other=_category(lambda w: w.foreign_township)),
    Case("proposals:settings", allow(STAFF)),
    Case("proposals:attachment", ALL_200, own=_attachment(_own), other=_attachment(_foreign),
         note="a file of an item everyone in A sees; another county's file is a 404"),
    Case("proposals:cosign", expect(404, **dict.fromkeys((*STAFF, DEPUTY), 302), **dict.fromkeys(COUNTY_ALL, 403)),
         method="post", data=lambda w: {"decision": "confirm"},
         own=_cosignature(lambda w: w.township), other=_cosignature(lambda w: w.foreign_township),
         note="the invited deputy confirms; staff record it; the county sees but may not; a liaison never sees it"),
    Case("proposals:detail", ALL_200, own=_pk(_own, "assigned"), other=_pk(_foreign, "assigned")),
    Case("proposals:edit", expect(404, **{DEPUTY: 200}), own=_pk(_own, "draft"), other=_pk(_foreign, "draft"),
         note="a deputy's draft is theirs alone until submitted"),
    Case("proposals:submit", expect(404, **{DEPUTY: 302}), method="post", own=_pk(_own, "draft"),
         other=_pk(_foreign, "draft")),
    Case("proposals:withdraw", expect(403, **dict.fromkeys((*STAFF, DEPUTY), 200), **{LIAISON: 404}),
         own=_pk(_own, "submitted"), other=_pk(_foreign, "submitted")),
    Case("proposals:return", expect(403, **dict.fromkeys(STAFF, 200), **{LIAISON: 404}),
         own=_pk(_own, "submitted"), other=_pk(_foreign, "submitted")),
    Case("proposals:convert", expect(403, **dict.fromkeys(STAFF, 200), **{LIAISON: 404}),
         own=_pk(_own, "submitted"), other=_pk(_foreign, "submitted")),
    Case("proposals:register", expect(403, **dict.fromkeys(STAFF, 200), **{LIAISON: 404}),
         own=_pk(_own, "submitted"), other=_pk(_foreign, "submitted")),
    Case("proposals:agenda", expect(403, **dict.fromkeys(STAFF, 200), **{LIAISON: 404, DEPUTY: 404}),
         own=lambda w: [_presidium_motion(w.township).pk], other=lambda w: [_presidium_motion(w.foreign_township).pk],
         note="a motion of the presidium: no lead deputy, so deputies do not see it"),
    Case("proposals:assign", expect(403, **dict.fromkeys(STAFF, 200), **{LIAISON: 404}),
         own=_pk(_own, "registered"), other=_pk(_foreign, "registered")),
    Case("proposals:deadline_preview", expect(403, **dict.fromkeys(STAFF, 200), **{LIAISON: 404}),
         own=_pk(_own, "registered"), other=_pk(_foreign, "registered"),
         note="the deadline 交办 would set, for the assignment form: staff only"),
    Case("proposals:accept", expect(403, **{LIAISON: 302}), method="post", own=_pk(_own, "assigned"),
         other=_pk(_foreign, "assigned")),
    Case("proposals:consult", allow((LIAISON,)), own=_pk(_own, "assigned"), other=_pk(_foreign, "assigned")),
    Case("proposals:co_opinion", expect(403, **{LIAISON: 200}, **{DEPUTY: 404}),
         own=lambda w: [_co_unit_item(w, w.township, w.unit).pk],
         other=lambda w: [_co_unit_item(w, w.foreign_township, w.foreign_unit).pk],
         note="the world's unit is a co-unit; the item's lead deputy is someone else"),
    Case("proposals:reply", allow((LIAISON,)), own=_pk(_own, "in_handling"), other=_pk(_foreign, "in_handling")),
    Case("proposals:promise_kept", allow((*STAFF, LIAISON)), own=_replied_b(_own), other=_replied_b(_foreign)),
    Case("proposals:extension", allow((LIAISON,)), own=_pk(_own, "assigned"), other=_pk(_foreign, "assigned")),
    Case("proposals:extension_decide", allow(STAFF), own=_pending_extension(_own),
         other=_pending_extension(_foreign)),
    Case("proposals:hand_back", allow((LIAISON,)), own=_pk(_own, "assigned"), other=_pk(_foreign, "assigned"),
         note="only the lead unit's liaison asks to hand an item back"),
    Case("proposals:hand_back_approve", allow(STAFF), own=_pending_hand_back(_own), other=_pending_hand_back(_foreign)),
    Case("proposals:hand_back_refuse", allow(STAFF), own=_pending_hand_back(_own), other=_pending_hand_back(_foreign)),
    Case("proposals:reassign", allow(STAFF), own=_pk(_own, "in_handling"), other=_pk(_foreign, "in_handling"),
         note="改办 by staff; the liaison and the deputy see the item but may not"),
    Case("proposals:rate", allow((*STAFF, DEPUTY)), own=_pk(_own, "replied"), other=_pk(_foreign, "replied")),
    Case("proposals:accept_reason", allow(STAFF), own=_unsatisfied_rating(_own), other=_unsatisfied_rating(_foreign)),
    Case("proposals:supervise", allow(STAFF), own=_pk(_own, "assigned"), other=_pk(_foreign, "assigned")),
    Case("proposals:close", allow(STAFF), own=_rated(_own), other=_rated(_foreign)),
    Case("proposals:close_with_reason", allow(STAFF), own=_pk(_own, "replied"), other=_pk(_foreign, "replied")),
    Case("proposals:publish", expect(403, **dict.fromkeys(STAFF, 302)), method="post", data=lambda w: {"public": "1"},
         own=_pk(_own, "assigned"), other=_pk(_foreign, "assigned")),
    Case("proposals:letter", allow((*STAFF, LIAISON)), own=_pk(_own, "assigned"), other=_pk(_foreign, "assigned")),
    Case("proposals:letter_docx", allow((*STAFF, LIAISON)), own=_pk(_own, "assigned"), other=_pk(_foreign, "assigned"),
         note="the Word copy of the 交办函: who may print the PDF may have it"),
    Case("proposals:letters", allow(STAFF), note="batch print of 交办函: the presidium's office only"),
    Case("proposals_public:suggestions", expect(200, anonymous=200), own=lambda w: [w.township.pk],
         other=lambda w: [w.foreign_township.pk], other_expected=200,
         note="public: no login, any township; the page carries no personal data"),
]
