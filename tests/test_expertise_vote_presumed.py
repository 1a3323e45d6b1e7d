"""The employer's 10 days to contest the need for an expertise run from the council's vote, the
choice of the expert from the designation (L2315-86, R2315-49; LEGAL.md (a) 12). Found by a
union official's QA pass: an expertise added from the consultation's admin page could not be
linked to its vote, and the page read « La nécessité de l'expertise et le choix de l'expert :
jusqu'au 20 août », ten days from the designation, beside a period that counted the vote."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Consultation, Expertise, Vote

from . import factories
from .conftest import client_for
from .test_admin import admin_form_data, admin_url

pytestmark = pytest.mark.django_db
D = datetime.date
NEED, CHOICE = "la nécessité de l'expertise", "le choix de l'expert"


@pytest.fixture
def consultation(organisation_a):
    return factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a, seats=10),
        deployment__organisation=organisation_a,
        information_received_on=D(2026, 7, 20),
        visibility=Consultation.Visibility.PUBLIC,
    )


def expert_vote(consultation, held_on, votes_for=9):
    meeting = factories.MeetingFactory(body=consultation.body, held_on=held_on)
    meeting.consultations.add(consultation)
    return factories.VoteFactory(
        meeting=meeting,
        consultation=consultation,
        subject=Vote.Subject.APPOINT_EXPERT,
        votes_for=votes_for,
        voting_members_present=9,
    )


ON = D(2026, 8, 12)


def windows(expertise, on=ON):
    """Its windows, read as the page reads them (with the clock facts) and as the expertise's
    own page does (alone): both must agree."""
    alone = Expertise.objects.get(pk=expertise.pk).contest_windows(on=on)
    fetched = Consultation.objects.with_clock_facts().get(pk=expertise.consultation_id)
    [page] = [e for e in fetched.fetched("expertises") if e.pk == expertise.pk]
    assert page.contest_windows(on=on) == alone
    return alone


def page_text(url, user=None):
    page = client_for(user).get(url).content.decode()
    return html.unescape(page).replace("\u00a0", " ").replace("\u202f", " ")


def test_an_expertise_not_linked_to_its_vote_counts_the_need_from_the_vote(consultation, reader_a):
    """The repro: the vote of 6 August 2026, the designation of 10 August. 6 August + 10 days is
    Sunday 16 August, moved to Monday 17 (CPC 641-642)."""
    expert_vote(consultation, D(2026, 8, 6))
    expertise = factories.ExpertiseFactory(consultation=consultation, designated_on=D(2026, 8, 10))
    need, choice = windows(expertise)
    assert (need.what, need.due.date, choice.what, choice.due.date) == (
        NEED,
        D(2026, 8, 17),
        CHOICE,
        D(2026, 8, 20),
    )
    assert "à compter du vote du CSE du 6 août 2026" in need.due.explanation
    assert "Compté du vote du 6 août 2026" in need.note and not choice.note
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    for user in (None, reader_a):
        page = page_text(url, user)
        assert "La nécessité de l'expertise : jusqu'au 17 août 2026" in page
        assert "Le choix de l'expert : jusqu'au 20 août 2026" in page
        assert "Compté du vote du 6 août 2026 désignant un expert" in page


def test_the_expertise_page_says_the_same(consultation, editor_a):
    expert_vote(consultation, D(2026, 8, 6))
    expertise = factories.ExpertiseFactory(consultation=consultation, designated_on=D(2026, 8, 10))
    page = page_text(reverse("consultations:expertise-edit", args=[expertise.pk]), editor_a)
    assert "La nécessité de l'expertise : jusqu'au 17 août 2026" in page
    assert "Compté du vote du 6 août 2026" in page


def test_it_takes_the_latest_adopted_vote_before_the_designation(consultation):
    expert_vote(consultation, D(2026, 7, 30))
    expert_vote(consultation, D(2026, 8, 6))
    expert_vote(consultation, D(2026, 8, 7), votes_for=4)  # rejected: appointed no one
    expert_vote(consultation, D(2026, 8, 12))  # after the designation
    expertise = factories.ExpertiseFactory(consultation=consultation, designated_on=D(2026, 8, 10))
    assert windows(expertise)[0].due.date == D(2026, 8, 17)


def test_a_vote_linked_to_another_expertise_is_not_presumed(consultation):
    vote = expert_vote(consultation, D(2026, 8, 6))
    factories.ExpertiseFactory(
        consultation=consultation, appointing_vote=vote, designated_on=D(2026, 8, 6)
    )
    other = factories.ExpertiseFactory(
        consultation=consultation, designated_on=D(2026, 8, 10), expert_firm="Autre cabinet"
    )
    [both] = windows(other)
    assert (both.what, both.due.date) == (f"{NEED} et {CHOICE}", D(2026, 8, 20))
    assert "aucun vote du CSE désignant un expert n'étant rattaché" in both.note


def test_a_vote_two_expertises_could_claim_is_presumed_for_neither(consultation):
    expert_vote(consultation, D(2026, 8, 6))
    first = factories.ExpertiseFactory(consultation=consultation, designated_on=D(2026, 8, 10))
    factories.ExpertiseFactory(
        consultation=consultation, designated_on=D(2026, 8, 11), expert_firm="Autre cabinet"
    )
    [both] = windows(first)
    assert both.due.date == D(2026, 8, 20)
    assert "ne disent pas avec certitude lequel" in both.note


def test_a_linked_vote_needs_no_note(consultation):
    vote = expert_vote(consultation, D(2026, 8, 6))
    expertise = factories.ExpertiseFactory(
        consultation=consultation, appointing_vote=vote, designated_on=D(2026, 8, 10)
    )
    need, _choice = windows(expertise)
    assert need.due.date == D(2026, 8, 17) and need.note == ""


def test_the_presumed_vote_lets_the_employer_contest_before_the_designation(consultation):
    """The need is contested from the vote: a contest between the vote and a later designation
    is not refused as « avant que le CSE l'ait votée »."""
    expert_vote(consultation, D(2026, 8, 6))
    expertise = factories.ExpertiseFactory.build(
        consultation=consultation, designated_on=D(2026, 8, 10), contested_on=D(2026, 8, 8)
    )
    expertise.full_clean()


def test_the_admin_inline_offers_the_consultations_adopted_votes_for_an_expert(
    consultation, editor_a
):
    adopted = expert_vote(consultation, D(2026, 8, 6))
    rejected = expert_vote(consultation, D(2026, 8, 7), votes_for=4)
    motion = factories.VoteFactory(meeting=adopted.meeting, consultation=consultation)
    other = factories.ConsultationFactory(body=consultation.body)
    elsewhere = factories.VoteFactory(
        meeting=adopted.meeting, consultation=other, subject=Vote.Subject.APPOINT_EXPERT
    )
    expertise = factories.ExpertiseFactory(consultation=consultation, designated_on=D(2026, 8, 10))
    url = admin_url(Consultation, "change", consultation.pk)
    client = client_for(editor_a)
    page = client.get(url)
    [inline] = [
        f.formset for f in page.context["inline_admin_formsets"] if f.formset.model is Expertise
    ]
    offered = list(inline.forms[0].fields["appointing_vote"].queryset)
    assert offered == [adopted]
    assert not {rejected, motion, elsewhere} & set(offered)

    data = admin_form_data(page, inlines=True)
    data[inline.forms[0].add_prefix("appointing_vote")] = adopted.pk
    response = client.post(url, data)
    assert response.status_code == 302
    expertise.refresh_from_db()
    assert expertise.appointing_vote == adopted


def test_the_page_asks_no_more_queries_for_a_presumed_vote(consultation, reader_a):
    vote = expert_vote(consultation, D(2026, 8, 6))
    expertise = factories.ExpertiseFactory(
        consultation=consultation, appointing_vote=vote, designated_on=D(2026, 8, 10)
    )
    client = client_for(reader_a)
    url = reverse("consultations:consultation-detail", args=[consultation.pk])

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return len(captured), "17 août 2026" in page

    linked = queries()
    Expertise.objects.filter(pk=expertise.pk).update(appointing_vote=None)
    assert queries() == linked == (linked[0], True)


def test_the_sites_expertise_form_offers_the_adopted_votes_for_an_expert(consultation, editor_a):
    """As the admin's inline does: a rejected vote appoints no expert, and saving one was then
    refused by the model's check (found by a QA pass)."""
    adopted = expert_vote(consultation, D(2026, 8, 6))
    rejected = expert_vote(consultation, D(2026, 8, 7), votes_for=4)
    factories.VoteFactory(meeting=adopted.meeting, consultation=consultation)  # a motion's
    other = factories.ConsultationFactory(body=consultation.body)
    factories.VoteFactory(
        meeting=adopted.meeting, consultation=other, subject=Vote.Subject.APPOINT_EXPERT
    )
    url = reverse("consultations:expertise-create", args=[consultation.pk])
    client = client_for(editor_a)
    form = client.get(url).context["form"]
    assert list(form.fields["appointing_vote"].queryset) == [adopted]
    assert form["appointing_vote"].value() == adopted.pk  # the one adopted, preselected

    typed = {"ground": "new_technology", "designated_on": "2026-08-10"}
    response = client.post(url, {**typed, "appointing_vote": rejected.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["appointing_vote"]
    assert not Expertise.objects.exists()
    assert client.post(url, {**typed, "appointing_vote": adopted.pk}).status_code == 302
    assert Expertise.objects.get().appointing_vote == adopted


def test_the_sites_expertise_form_keeps_the_vote_a_record_is_linked_to(consultation, editor_a):
    """A vote linked, then corrected to rejected (its counts mistyped): the record's edit page
    still shows it, for the model's check to say why, rather than drop the link unseen."""
    adopted = expert_vote(consultation, D(2026, 8, 6))
    linked = expert_vote(consultation, D(2026, 8, 7))
    expertise = factories.ExpertiseFactory(
        consultation=consultation, appointing_vote=linked, designated_on=D(2026, 8, 10)
    )
    Vote.objects.filter(pk=linked.pk).update(votes_for=4)
    url = reverse("consultations:expertise-edit", args=[expertise.pk])
    client = client_for(editor_a)
    page = client.get(url)
    form = page.context["form"]
    assert list(form.fields["appointing_vote"].queryset) == [adopted, linked]
    assert form["appointing_vote"].value() == linked.pk
    data = {
        name: value
        for name, value in ((f.html_name, f.value()) for f in form)
        if value not in (None, False)
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "n'a pas été adopté" in response.context["form"].errors["appointing_vote"][0]
    expertise.refresh_from_db()
    assert expertise.appointing_vote == linked
