"""County-scorecard URLs as every role (collected by tests/evaluations/access_cases.py into the access matrix).

The world's county publishes checklists for its townships; township A's response is met by A's staff and by the
county's reviewers and admin. Deputies and liaisons have no part: lists are 403, rows are not found (404).
Another county's checklist, response and evidence are a 404 for everyone. A POST refused for its state (e.g.
finalising before every item is scored) still answers 302 with the reason as a message; a role that may not
take the step gets 403.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from presidium.choices import Role
from tests.access_matrix import COUNTY, STAFF, Case, allow, expect
from tests.documents.hostile import pdf_bytes

ADMIN = Role.COUNTY_ADMIN.value


def _people(w, foreign: bool):
    from tests.factories import user_with_role

    if not foreign:
        return w.user(Role.COUNTY_REVIEWER), w.user(Role.PRESIDIUM_STAFF), w.township
    if not hasattr(w, "_scorecard_foreign"):
        w._scorecard_foreign = (user_with_role(Role.COUNTY_REVIEWER, w.foreign_county),
                                user_with_role(Role.PRESIDIUM_STAFF, w.foreign_township), w.foreign_township)
    return w._scorecard_foreign


def _checklist(w, *, foreign=False, publish=True):
    from tests.factories import scorecard_checklist

    reviewer, _staff, _township = _people(w, foreign)
    return scorecard_checklist(w.foreign_county if foreign else w.county, by=reviewer, publish=publish)


def _response(w, *, foreign=False, to="draft"):
    """Township A's (or the foreign township's) response, walked to ``to`` through the services."""
    from evaluations.models import Evidence
    from evaluations.scorecards import services

    reviewer, staff, township = _people(w, foreign)
    checklist = _checklist(w, foreign=foreign)
    response = checklist.responses.get(township=township)
    if to == "draft":
        return response
    for n, item in enumerate(checklist.items.all()):
        files = [SimpleUploadedFile("记录.pdf", pdf_bytes(), content_type="application/pdf")] if n == 0 else []
        services.item_answer_save(response=response, item=item, answer="done", files=files, by=staff)
    if to == "answered":
        return response
    services.township_response_submit(response=response, by=staff)
    if to == "submitted":
        return response
    for item in checklist.items.all():
        services.item_score_set(response=response, item=item, score=5, by=reviewer)
    services.township_response_finalise(response=response, by=reviewer)
    assert Evidence.objects.filter(answer__response=response).exists()
    return response


def _evidence(w, *, foreign=False, to="submitted"):
    from evaluations.models import Evidence

    return Evidence.objects.filter(answer__response=_response(w, foreign=foreign, to=to), kind="file").first()


def own_draft(w):
    return [_checklist(w, publish=False).pk]


def other_draft(w):
    return [_checklist(w, foreign=True, publish=False).pk]


def own_published(w):
    return [_checklist(w).pk]


def other_published(w):
    return [_checklist(w, foreign=True).pk]


def own_draft_item(w):
    return [_checklist(w, publish=False).items.first().pk]


def other_draft_item(w):
    return [_checklist(w, foreign=True, publish=False).items.first().pk]


def _resp_args(to, *, item=False, foreign=False):
    def make(w):
        response = _response(w, foreign=foreign, to=to)
        return [response.pk, response.checklist.items.order_by("-pk").first().pk] if item else [response.pk]
    return make


def _evidence_args(to, *, foreign=False):
    return lambda w: [_evidence(w, foreign=foreign, to=to).pk]


def _item_data(prefix):
    def data(w):
        from evaluations.models import ChecklistItem

        item = ChecklistItem.objects.filter(checklist__county=w.county).order_by("-pk").first()
        return {f"{prefix}{item.pk}-answer": "done", f"{prefix}{item.pk}-score": "5"}
    return data


VIEWERS = (*COUNTY, *STAFF)
DRAFT_ONLY = expect(404, **dict.fromkeys(COUNTY, 200), **dict.fromkeys(STAFF, 404))
DRAFT_POST = expect(404, **dict.fromkeys(COUNTY, 302))
COUNTY_ONLY = expect(404, **dict.fromkeys(COUNTY, 200), **dict.fromkeys(STAFF, 403))
COUNTY_POST = expect(404, **dict.fromkeys(COUNTY, 302), **dict.fromkeys(STAFF, 403))
STAFF_POST = expect(404, **dict.fromkeys(STAFF, 302), **dict.fromkeys(COUNTY, 403))
BOTH = expect(404, **dict.fromkeys(VIEWERS, 200))

CASES = [
    Case("scorecards:checklist_list", allow(VIEWERS)),
    Case("scorecards:checklist_create", allow(COUNTY)),
    Case("scorecards:checklist_detail", BOTH, own=own_published, other=other_published),
    Case("scorecards:checklist_edit", DRAFT_ONLY, own=own_draft, other=other_draft),
    Case("scorecards:item_add", DRAFT_ONLY, own=own_draft, other=other_draft),
    Case("scorecards:item_edit", DRAFT_ONLY, own=own_draft_item, other=other_draft_item),
    Case("scorecards:item_delete", DRAFT_POST, own=own_draft_item, other=other_draft_item, method="post"),
    Case("scorecards:checklist_publish", DRAFT_POST, own=own_draft, other=other_draft, method="post"),
    Case("scorecards:checklist_close", COUNTY_POST, own=own_published, other=other_published, method="post"),
    Case("scorecards:checklist_copy", COUNTY_POST, own=own_published, other=other_published, method="post"),
    Case("scorecards:comparison", COUNTY_ONLY, own=own_published, other=other_published),
    Case("scorecards:summary_document", COUNTY_ONLY, own=own_published, other=other_published),
    Case("scorecards:response_detail", BOTH, own=_resp_args("draft"), other=_resp_args("draft", foreign=True)),
    Case("scorecards:plan_save", STAFF_POST, own=_resp_args("draft"), other=_resp_args("draft", foreign=True),
         method="post", data=lambda w: {"plan": "本月召开主席团会议一次。"}),
    Case("scorecards:answer_save", STAFF_POST, own=_resp_args("draft", item=True),
         other=_resp_args("draft", item=True, foreign=True), method="post", data=_item_data("i")),
    Case("scorecards:response_submit", STAFF_POST, own=_resp_args("answered"),
         other=_resp_args("answered", foreign=True), method="post"),
    Case("scorecards:score_save", COUNTY_POST, own=_resp_args("submitted", item=True),
         other=_resp_args("submitted", item=True, foreign=True), method="post", data=_item_data("s")),
    Case("scorecards:response_return", COUNTY_ONLY, own=_resp_args("submitted"),
         other=_resp_args("submitted", foreign=True)),
    Case("scorecards:response_finalise", COUNTY_POST, own=_resp_args("submitted"),
         other=_resp_args("submitted", foreign=True), method="post"),
    Case("scorecards:response_reopen", expect(404, **{ADMIN: 200, Role.COUNTY_REVIEWER.value: 403},
                                             **dict.fromkeys(STAFF, 403)),
         own=_resp_args("finalised"), other=_resp_args("finalised", foreign=True)),
    Case("scorecards:scorecard_document", BOTH, own=_resp_args("finalised"),
         other=_resp_args("finalised", foreign=True)),
    Case("scorecards:evidence_file", BOTH, own=_evidence_args("submitted"),
         other=_evidence_args("submitted", foreign=True)),
    Case("scorecards:evidence_review", COUNTY_POST, own=_evidence_args("submitted"),
         other=_evidence_args("submitted", foreign=True), method="post",
         data=lambda w: {"state": "accepted"}),
    Case("scorecards:evidence_remove", STAFF_POST, own=_evidence_args("answered"),
         other=_evidence_args("answered", foreign=True), method="post"),
]
