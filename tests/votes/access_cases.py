"""Every votes URL as every role, on township A's objects and on another county's (see tests/access_matrix.py).

The township's staff and chair manage; deputies and the county's roles read published results and the projects;
a unit's liaison has nothing here. A vote not yet published is not found (404) by those who only read.
"""

from __future__ import annotations

from presidium.choices import Role
from tests.access_matrix import COUNTY, STAFF, Case, allow, expect

READERS = (*STAFF, *COUNTY, Role.DEPUTY.value)
LIAISON = Role.UNIT_LIAISON.value


def _vote(state, **kwargs):
    def build(township):
        from tests.factories import vote_at

        return [vote_at(township, state, **kwargs).pk]

    return build


def _meeting(kind="congress_session"):
    def build(township):
        from tests.factories import votes_meeting

        return [votes_meeting(township, kind=kind, present=3).pk]

    return build


def _project(with_photo=False):
    def build(township):
        from tests.factories import adopted_project

        project = adopted_project(township, with_photo=with_photo)
        if with_photo:
            return [project.timeline.get().photos.get().pk]
        return [project.pk]

    return build


def _case(name, expected, build, **kwargs):
    return Case(name, expected, own=lambda w: build(w.township), other=lambda w: build(w.foreign_township), **kwargs)


def _step(action):
    return lambda build: (lambda township: [*build(township), action])


MANAGE_FORM = expect(403, presidium_chair=200, presidium_staff=200, unit_liaison=404)

CASES = [
    Case("votes:vote_list", allow(READERS)),
    _case("votes:vote_create", MANAGE_FORM, _meeting()),
    _case("votes:project_vote_create", MANAGE_FORM, _meeting()),
    _case("votes:vote_detail", allow(READERS, default=404), _vote("published")),
    # Before publication only the township's staff know the vote exists.
    _case("votes:vote_detail", allow(STAFF, default=404), _vote("counted", kind="paper_ballot"),
          note="unpublished"),
    _case("votes:vote_tally", allow(STAFF, default=404), lambda t: [*_vote("open")(t), 1]),
    _case("votes:vote_correct", MANAGE_FORM, _vote("published")),
    _case("votes:vote_step", allow(STAFF, default=404, status=302), _step("open")(_vote("created")), method="post"),
    Case("votes:project_list", allow(READERS)),
    Case("votes:project_create", allow(STAFF)),
    _case("votes:project_detail", allow(READERS, default=404), _project()),
    _case("votes:project_progress", MANAGE_FORM, _project()),
    _case("votes:project_satisfaction", MANAGE_FORM, _project()),
    _case("votes:progress_photo", allow(READERS, default=404), _project(with_photo=True)),
    _case("votes_public:projects", expect(200, anonymous=200), lambda t: [_project()(t) and t.pk],
          other_expected=200),
]
