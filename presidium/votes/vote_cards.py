"""The vote list's cards, written in Python: the same markup as the per-card template they replace (kept as the
reference in tests/votes/test_vote_cards.py), without its ~45 template nodes, three display lookups and a URL
reversal per card; a county page shows 50 (docs/performance.md, seventh round)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from presidium.notifications.links import pk_links
from presidium.votes.choices import VoteKind, VoteState, VoteSubject

_BADGE_TONE = {VoteState.PUBLISHED: "success", VoteState.COUNTED: "warning"}
SHOWN_LINES = 3  # result lines on a card; more are summed up as "共 N 项"


class VoteCards:
    """Writes the cards of one page: the labels and the link shape are worked out once."""

    def __init__(self):
        self.detail_url = pk_links(lambda pk: reverse("votes:vote_detail", args=[pk]))
        self.states = {value: esc(label) for value, label in VoteState.choices}
        self.subjects = {value: esc(label) for value, label in VoteSubject.choices}
        self.kinds = {value: esc(label) for value, label in VoteKind.choices}

    def __call__(self, vote, lines: list[tuple[str, str]]) -> SafeString:
        """The card of ``vote`` (with its township and meeting) and its result ``lines`` (services.result_lines)."""
        state, meeting = vote.state, vote.meeting
        labelled = len(lines) > 1
        shown = "".join(f'<div class="vote-line small">{f"{esc(label)}：" if labelled else ""}{esc(line)}</div>'
                        for label, line in lines[:SHOWN_LINES])
        more = (f'<div class="small text-muted">{ngettext("共 %(n)s 项", "共 %(n)s 项", len(lines)) % {"n": len(lines)}}'
                '</div>' if len(lines) > SHOWN_LINES else "")
        day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
        return mark_safe(
            '<div class="card mb-2"><div class="card-body py-2">\n'
            '    <div class="d-flex flex-wrap justify-content-between gap-2">\n'
            f'      <a class="fw-semibold" href="{self.detail_url(vote.pk)}">{esc(vote.title)}</a>\n'
            f'      <span class="badge text-bg-{_BADGE_TONE.get(state, "secondary")}">'
            f'{self.states.get(state) or esc(state)}</span>\n'
            '    </div>\n'
            f'    <div class="small text-muted">{esc(vote.township.name)} · {esc(meeting.title)} · {day} · '
            f'{self.subjects.get(vote.subject) or esc(vote.subject)} · {self.kinds.get(vote.kind) or esc(vote.kind)}'
            '</div>\n'
            f'    {shown}\n'
            f'    {more}\n'
            '  </div></div>')
