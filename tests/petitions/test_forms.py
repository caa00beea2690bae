"""The register form: fields per channel, the collective visit's rules, errors in Chinese."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from petitions.forms import PetitionRegisterForm, RepresentativeFormSet, TransferForm


def _data(**changes):
    data = {"channel": "visit", "received_on": f"{timezone.localdate():%Y-%m-%d}", "name": "张建国",
            "people_count": "1", "subject": "宅基地界址纠纷", "content": "请求调处。", "urgency": "normal"}
    data.update(changes)
    return data


def test_it_drops_the_fields_of_other_channels(world):
    form = PetitionRegisterForm(_data(referral_body="县信访局", referral_number="8号"), township=world.township)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["referral_body"] == "" and form.cleaned_data["referral_number"] == ""


def test_it_needs_the_referring_body_and_the_deputy_for_their_channels(world):
    referred = PetitionRegisterForm(_data(channel="referred"), township=world.township)
    deputy = PetitionRegisterForm(_data(channel="deputy"), township=world.township)
    assert not referred.is_valid() and "请写明转办机关" in str(referred.errors["referral_body"])
    assert not deputy.is_valid() and "请选择代言代表" in str(deputy.errors["raised_by_deputy"])


def test_it_makes_five_or_more_people_a_collective_visit(world):
    form = PetitionRegisterForm(_data(people_count="6"), township=world.township)
    assert form.is_valid() and form.cleaned_data["is_collective"] is True
    small = PetitionRegisterForm(_data(people_count="3", is_collective="on"), township=world.township)
    assert not small.is_valid() and "集体访是五人以上的来访" in str(small.errors["people_count"])


def test_it_asks_for_a_name_unless_anonymous(world):
    form = PetitionRegisterForm(_data(name=""), township=world.township)
    assert not form.is_valid() and "匿名" in str(form.errors["name"])
    anonymous = PetitionRegisterForm(_data(name="", anonymous="on", mobile="abc"), township=world.township)
    assert anonymous.is_valid(), anonymous.errors
    assert anonymous.cleaned_data["mobile"] == ""


def test_it_refuses_a_future_date_and_a_bad_id_number(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = PetitionRegisterForm(_data(received_on=f"{tomorrow:%Y-%m-%d}", id_number="123"), township=world.township)
    assert not form.is_valid()
    assert "收到日期不能晚于今天" in str(form.errors["received_on"]) and "18 位" in str(form.errors["id_number"])


def test_it_takes_at_most_five_representatives():
    data = {"rep-TOTAL_FORMS": "6", "rep-INITIAL_FORMS": "0", "rep-MIN_NUM_FORMS": "0", "rep-MAX_NUM_FORMS": "5"}
    data.update({f"rep-{n}-name": f"代表{n}" for n in range(6)})
    formset = RepresentativeFormSet(data, prefix="rep")
    assert not formset.is_valid()


def test_it_keeps_the_transfer_due_date_within_the_completion_limit(world):
    limit = timezone.localdate() + dt.timedelta(days=30)
    late = limit + dt.timedelta(days=1)
    form = TransferForm({"unit": world.unit.pk, "owner_name": "李站长", "due_on": f"{late:%Y-%m-%d}"},
                        township=world.township, latest_due=limit)
    assert not form.is_valid() and "不能晚于本件的办理期限" in str(form.errors["due_on"])
    other = TransferForm({"unit": world.other_unit.pk, "owner_name": "李站长", "due_on": f"{limit:%Y-%m-%d}"},
                         township=world.township, latest_due=limit)
    assert not other.is_valid() and "unit" in other.errors  # another township's unit is not a choice


def test_it_offers_a_re_elected_deputy_once_between_opening_and_switching_the_next_term(world):
    """After the next term is opened and a deputy carried over, the pickers of petitions, reception days and
    suggestions still list the person once: the one serving in the current term."""
    import datetime as dt

    from petitions.forms import PetitionRegisterForm
    from petitions.reception.forms import AddDutyForm
    from presidium.choices import Role
    from presidium.terms.services import term_carry_over, term_open_next
    from proposals.forms import _deputies_of
    from tests.factories import DeputyFactory

    staff = world.user(Role.PRESIDIUM_STAFF)
    deputy = DeputyFactory(township=world.township, name="冯国强", term=world.township.current_term())
    next_term = term_open_next(township=world.township, by=staff, start_date=dt.date(2027, 1, 8))
    term_carry_over(term=next_term, by=staff, deputies=[deputy])
    assert world.township.deputies.filter(name="冯国强").count() == 2
    for choices in (PetitionRegisterForm(township=world.township).fields["raised_by_deputy"].queryset,
                    AddDutyForm(township=world.township).fields["deputy"].queryset,
                    _deputies_of(world.township)):
        assert list(choices.filter(name="冯国强")) == [deputy]
