"""Vote screens: the list of results, a vote's page, creating a vote, the two entries, the steps, corrections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from presidium.access import action_roles, has_perm, require_perm, township_q
from presidium.documents.excel import Column
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView
from presidium.votes import lifecycle, selectors, services
from presidium.votes.access import MANAGE_VOTES, VIEW_VOTES
from presidium.votes.choices import TallyEntry, VoteAction, VoteState
from presidium.votes.counting import differences, majority_needed
from presidium.votes.filters import VoteFilter
from presidium.votes.forms import CorrectionForm, ProjectVoteForm, TallyForm, VoteCreateForm
from presidium.votes.models import VoteItem
from presidium.votes.services import ItemFigures
from presidium.votes.vote_cards import VoteCards


class VoteListView(PortalListView):
    filterset_class = VoteFilter
    template_name = "votes/vote_list.html"
    page_title = gettext_lazy("表决结果")
    export_filename = "表决结果"
    export_columns = [
        Column("乡镇", "township.name", 10), Column("会议", "meeting.title", 30), Column("表决事项", "title", 30),
        Column("类别", "get_subject_display", 10), Column("方式", "get_kind_display", 10),
        Column("状态", "get_state_display", 8), Column("应到", "entitled_count", 6), Column("实到", "present_count", 6),
        Column("结果", lambda v: services.result_text(v), 60),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, VIEW_VOTES):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    # What a card shows (vote_cards.py) and its result lines read (services.result_lines): not the attendance
    # snapshot (a JSON of every deputy's name, decoded per vote), the accounts and times of each step, nor the
    # meeting's and township's other columns. The Excel export reads the whole rows.
    row_joins = ("meeting", "township")
    row_fields = ("title", "state", "subject", "kind", "method", "entitled_count", "present_count", "ballots",
                  "invalid", "corrected_at", "township__name", "meeting__title", "meeting__starts_at")

    def visible_queryset(self):
        qs = selectors.votes_visible_to(self.request.user).order_by("-meeting__starts_at", "-pk")
        meeting = self.request.GET.get("meeting", "")
        if meeting.isdigit() and len(meeting) < 10:  # one meeting's votes (linked from its page)
            qs = qs.filter(meeting_id=int(meeting))
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        card = VoteCards()
        votes = list(context["object_list"])
        items = _item_figures(votes)
        context["cards"] = [card(vote, services.result_lines(vote, items.get(vote.pk, []))) for vote in votes]
        context["meetings"] = self._meetings_to_vote_at()
        return context

    def export_rows(self, queryset):
        return queryset.prefetch_related(Prefetch("items", queryset=_ITEMS))  # each row's result text

    def _meetings_to_vote_at(self) -> list:
        """The recent sessions and presidium meetings where the user may start a vote (the "新建表决" menu)."""
        from presidium.access import townships_where
        from presidium.meetings.choices import QUORUM_KINDS, MeetingStatus
        from presidium.meetings.models import Meeting

        if not has_perm(self.request.user, MANAGE_VOTES):
            return []
        meetings = (Meeting.objects.filter(township__in=townships_where(self.request.user, MANAGE_VOTES),
                                           kind__in=QUORUM_KINDS)
                    .exclude(status=MeetingStatus.CANCELLED).order_by("-starts_at", "-pk"))
        meeting = self.request.GET.get("meeting", "")
        if meeting.isdigit() and len(meeting) < 10:
            meetings = meetings.filter(pk=int(meeting))
        return list(meetings[:12])


# The items in their ballot order alone: their model's ordering ("vote", "position") follows the vote's own ordering
# into a join of every item to its vote and meeting.
_ITEMS = VoteItem.objects.order_by("vote_id", "position")


def _item_figures(votes) -> dict[int, list[ItemFigures]]:
    """The result figures of the published ``votes``' items, by vote, in ballot order: one query of plain rows (a
    county page's 50 votes have ~160 items; building a model instance of each cost more than the query)."""
    published = [vote.pk for vote in votes if vote.state == VoteState.PUBLISHED]
    figures: dict[int, list[ItemFigures]] = {}
    if published:
        for vote_id, *row in _ITEMS.filter(vote_id__in=published).values_list("vote_id", *ItemFigures._fields):
            figures.setdefault(vote_id, []).append(ItemFigures(*row))
    return figures


def _meeting_for(user, meeting_id: int):
    """The meeting (404 outside the user's townships), and 403 unless the user manages votes there."""
    from presidium.meetings.models import Meeting

    meeting = get_object_or_404(Meeting.objects.filter(township_q(user, roles=action_roles(VIEW_VOTES)))
                                .select_related("township"), pk=meeting_id)
    require_perm(user, MANAGE_VOTES, meeting.township)
    return meeting


class VoteCreateView(ServiceFormView):
    form_class = VoteCreateForm
    page_title = gettext_lazy("新建表决")
    submit_label = gettext_lazy("创建")
    success_message = gettext_lazy("表决已创建。开始表决后录入计票。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.meeting = _meeting_for(request.user, kwargs["meeting_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        from presidium.meetings.choices import OutcomeKind

        kwargs = super().get_form_kwargs()
        kwargs["outcomes"] = self.meeting.outcomes.filter(kind__in=[OutcomeKind.RESOLUTION, OutcomeKind.DECISION])
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form_intro"] = _("会议：%(meeting)s") % {"meeting": self.meeting.title}
        return context

    def perform(self, form):
        data = form.cleaned_data
        return services.vote_create(meeting=self.meeting, title=data["title"], subject=data["subject"],
                                    method=data["method"], kind=data["kind"],
                                    majority_base=data["majority_base"] or None, seats=data["seats"] or 1,
                                    items=form.item_labels(), outcome=data["outcome"], by=self.request.user)


class ProjectVoteCreateView(VoteCreateView):
    form_class = ProjectVoteForm
    page_title = gettext_lazy("民生实事项目票决")
    success_message = gettext_lazy("票决已创建，候选项目按序号列入选票。")

    def get_form_kwargs(self):
        return ServiceFormView.get_form_kwargs(self)

    def get_initial(self):
        return {"year": self.meeting.starts_at.year}

    def perform(self, form):
        return services.vote_create_for_projects(meeting=self.meeting, year=form.cleaned_data["year"],
                                                 kind=form.cleaned_data["kind"], by=self.request.user)


def _differences(vote, current) -> list[str]:
    if not vote.is_paper or TallyEntry.TELLER not in current or TallyEntry.SCRUTINEER not in current:
        return []
    labels = {item.pk: item.label for item in vote.items.all()}
    return differences(current[1].figures(), current[2].figures(), labels=labels)


@login_required
def vote_detail(request, pk: int):
    """The results page: figures, the printed line, the snapshot, the entries side by side, the corrections."""
    vote = selectors.vote_for_page(request.user, pk)
    manage = selectors.may_manage(request.user, vote)
    current = selectors.current_tallies(vote)
    items = list(vote.items.all())
    entries = []
    if manage:
        for number in vote.entries_needed:
            tally = current.get(number)
            by_item = {line.item_id: line for line in tally.lines.all()} if tally else {}
            entries.append((TallyEntry(number), tally, [(item, by_item.get(item.pk)) for item in items]))
    blockers = services.publication_blockers(vote, current) if manage and vote.state == VoteState.COUNTED else []
    return render(request, "votes/vote_detail.html", {
        "vote": vote, "items": items, "manage": manage, "entries": entries,
        "differences": _differences(vote, current) if manage else [],
        "blockers": blockers, "lines": services.result_lines(vote),
        "actions": lifecycle.actions_from(vote.state) if manage else [],
        "may_enter": manage and VoteState(vote.state) in lifecycle.TALLY_STATES,
        "needed": majority_needed(vote.base) if vote.base is not None else None,
        "superseded": [t for t in vote.tallies.all() if t.superseded_at] if manage else [],
        "corrections": list(vote.corrections.all()),
    })


_STEPS = {
    VoteAction.OPEN: (services.vote_open, gettext_lazy("表决已开始。")),
    VoteAction.COUNT: (services.vote_count, gettext_lazy("计票已结束，出席情况已固定。核对无误后公布结果。")),
    VoteAction.REOPEN: (services.vote_reopen, gettext_lazy("已退回表决中，出席情况将在再次结束计票时重新固定。")),
    VoteAction.PUBLISH: (services.vote_publish, gettext_lazy("结果已公布。")),
}


@login_required
@require_POST
def vote_step(request, pk: int, action: str):
    """One step of the lifecycle (POST only). A refusal is shown on the vote's page with its reason."""
    vote = get_object_or_404(selectors.votes_visible_to(request.user), pk=pk)
    require_perm(request.user, MANAGE_VOTES, vote.township_id)
    try:
        service, done = _STEPS[VoteAction(action)]
    except (ValueError, KeyError):
        raise PermissionDenied from None
    try:
        service(vote=vote, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(vote)


class _VoteFormView(ServiceFormView):
    template_name = "votes/vote_tally_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.vote = get_object_or_404(selectors.votes_visible_to(request.user), pk=kwargs["pk"])
        require_perm(request.user, MANAGE_VOTES, self.vote.township_id)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "vote": self.vote}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["vote"] = self.vote
        context["cancel_url"] = self.vote.get_absolute_url()
        return context


class VoteTallyView(_VoteFormView):
    """计票人 (entry 1) or 监票人 (entry 2) enters the figures. The other entry is not shown: they count apart."""

    form_class = TallyForm
    submit_label = gettext_lazy("保存录入")

    def dispatch(self, request, *args, **kwargs):
        try:
            self.entry = TallyEntry(kwargs["entry"])
        except ValueError:
            raise PermissionDenied from None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = f"{self.vote.title} · {self.entry.label}"
        return context

    def perform(self, form):
        data = form.cleaned_data
        services.vote_tally_enter(vote=self.vote, entry=self.entry, teller_name=data["teller_name"],
                                  ballots=data.get("ballots"), invalid=data.get("invalid") or 0, lines=form.lines(),
                                  by=self.request.user)
        return self.vote.get_absolute_url()

    def get_success_message(self) -> str:
        return _("%(entry)s已保存。") % {"entry": self.entry.label}


class VoteCorrectView(_VoteFormView):
    form_class = CorrectionForm
    submit_label = gettext_lazy("更正结果")
    success_message = gettext_lazy("结果已更正，原计票结果保留在更正记录中。")

    def get_initial(self):
        initial = {"ballots": self.vote.ballots, "invalid": self.vote.invalid}
        for item in self.vote.items.all():
            initial.update({f"item_{item.pk}_yes": item.yes, f"item_{item.pk}_no": item.no,
                            f"item_{item.pk}_abstain": item.abstain})
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = _("更正计票结果：%(title)s") % {"title": self.vote.title}
        context["correcting"] = True
        return context

    def perform(self, form):
        data = form.cleaned_data
        services.vote_correct(vote=self.vote, ballots=data.get("ballots"), invalid=data.get("invalid") or 0,
                              lines=form.lines(), reason=data["reason"], by=self.request.user)
        return self.vote.get_absolute_url()


def meeting_votes_url(meeting) -> str:
    """The vote list filtered to one meeting's votes (for the meetings app's page to link to)."""
    return reverse("votes:vote_list") + f"?meeting={meeting.pk}"
