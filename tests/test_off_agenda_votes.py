"""A vote on a consultation that is not on its meeting's agenda (L2315-29; LEGAL.md (c): a
resolution must concern an agenda item or be directly linked to one): members and editors are
warned, the record is kept."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Consultation, Vote

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def consultation(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a, name="CSE de Sentinelle")
    return factories.ConsultationFactory(
        body=body,
        title="Analyse des appels",
        information_received_on=D(2025, 3, 3),
        visibility=Consultation.Visibility.PUBLIC,
    )


def vote_at(consultation, day, *, on_agenda, subject=Vote.Subject.APPOINT_EXPERT):
    meeting = factories.MeetingFactory(body=consultation.body, held_on=day)
    if on_agenda:
        meeting.consultations.add(consultation)
    return factories.VoteFactory(meeting=meeting, consultation=consultation, subject=subject)


def test_it_finds_the_votes_off_their_meetings_agenda(consultation):
    on = vote_at(consultation, D(2025, 3, 10), on_agenda=True)
    off = vote_at(consultation, D(2025, 3, 20), on_agenda=False)
    # On another consultation's agenda is still off this one's.
    other = factories.ConsultationFactory(body=consultation.body)
    off.meeting.consultations.add(other)
    # A vote on no consultation (electing the secretary) has no agenda item to check.
    factories.VoteFactory(meeting=off.meeting, consultation=None, subject=Vote.Subject.OTHER)
    assert list(Vote.objects.off_agenda()) == [off]
    assert {vote.pk: vote.on_agenda for vote in Vote.objects.with_on_agenda()}[on.pk] is True


def test_its_members_are_warned_and_the_public_is_not(consultation, reader_a, editor_a, client):
    vote_at(consultation, D(2025, 3, 10), on_agenda=True, subject=Vote.Subject.OPINION)
    off = vote_at(consultation, D(2025, 3, 20), on_agenda=False)
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    page = client_for(reader_a).get(url).content.decode()
    assert page.count('id="off-agenda-') == 1 and f'id="off-agenda-{off.pk}"' in page
    assert "Le vote du 20 mars 2025 (Désignation d&#x27;un expert) porte sur cette" in page
    assert "(L2315-29)" in page
    # Its editors, staff or not, complete the agenda on the meeting's page of the site.
    mend = reverse("consultations:meeting-edit", args=[off.meeting_id])
    link = f"{mend}?next={url}%23meeting-{off.meeting_id}#div_id_consultations"
    assert mend not in page  # a reader cannot mend it
    representative = factories.UserFactory(username="representative-a")
    factories.MembershipFactory(
        user=representative, organisation=consultation.body.organisation, role="editor"
    )
    for editor in (editor_a, representative):
        assert f'href="{link}">Compléter l\'ordre du jour' in (
            client_for(editor).get(url).content.decode()
        )
    assert 'id="off-agenda-' not in client.get(url).content.decode()


def test_the_warning_reads_in_english(consultation, reader_a, settings):
    vote_at(consultation, D(2025, 3, 20), on_agenda=False)
    client = client_for(reader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    assert "which is not on the meeting's agenda" in page.content.decode()


def test_the_consultation_page_makes_no_query_more_for_it(consultation, reader_a):
    """The same number of queries whether the votes are on their meetings' agendas or not,
    and however many there are."""
    client = client_for(reader_a)
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    votes = [vote_at(consultation, D(2025, 3, day), on_agenda=True) for day in (10, 11)]

    def queries():
        client.get(url)  # the caches warm
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return len(captured), page.count('id="off-agenda-')

    on_agenda = queries()
    for vote in votes:
        vote.meeting.consultations.remove(consultation)
    vote_at(consultation, D(2025, 3, 12), on_agenda=False)
    assert on_agenda == (on_agenda[0], 0)
    assert queries() == (on_agenda[0], 3)


def admin_url(where, vote):
    if where == "vote":
        return reverse("admin:consultations_vote_change", args=[vote.pk])
    if where == "meeting":
        return reverse("admin:consultations_meeting_change", args=[vote.meeting_id])
    return reverse("admin:consultations_consultation_change", args=[vote.consultation_id])


@pytest.mark.parametrize("where", ["vote", "meeting", "consultation"])
def test_the_admin_warns_after_a_save_that_moves_a_vote_off_the_agenda(
    consultation, superuser, where
):
    """The vote moved to a meeting whose agenda leaves its consultation out (the vote's page,
    the consultation's), or its consultation taken off the meeting's agenda (the meeting's):
    warned, and saved. Saved again unchanged, it is not warned of again (VoteWarningsMixin: found
    by a QA pass as a union editor, the same warnings came back at each save)."""
    vote = vote_at(consultation, D(2025, 3, 10), on_agenda=True)
    off = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 20))
    client = client_for(superuser)
    url = admin_url(where, vote)
    changes = {
        "vote": {"meeting": off.pk},
        "meeting": {"consultations": []},
        "consultation": {"votes-0-meeting": off.pk},
    }[where]
    warnings = resubmit(client, url, changes)
    day = "20 mars 2025" if where != "meeting" else "10 mars 2025"
    assert len(warnings) == 1, warnings
    assert f"Le vote du {day} (Désignation d'un expert) porte sur la consultation " in (warnings[0])
    assert "«\u00a0Analyse des appels\u00a0», qui ne figure pas à l'ordre du jour" in warnings[0]
    assert Vote.objects.filter(pk=vote.pk).exists()
    assert resubmit(client, url) == []


@pytest.mark.parametrize("where", ["vote", "meeting", "consultation"])
def test_the_admin_does_not_warn_again_of_a_vote_it_did_not_touch(consultation, superuser, where):
    off = vote_at(consultation, D(2025, 3, 20), on_agenda=False)
    client = client_for(superuser)
    url = admin_url(where, off)
    changes = {
        "vote": {"question": "Désignation du cabinet Alpha"},
        "meeting": {"place": "Salle B"},
        "consultation": {"summary": "Un résumé."},
    }[where]
    assert resubmit(client, url, changes) == []
    assert resubmit(client, url) == []
    # Once the consultation is on the agenda, nothing to warn of either way.
    off.meeting.consultations.add(consultation)
    assert resubmit(client, url) == []


def admin_form_data(client, url):
    """An admin change form's data as it is shown, inlines included, as a browser posts it."""
    response = client.get(url)
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update(
            {
                management.add_prefix(name): management.initial.get(name, field.initial)
                for name, field in management.fields.items()
            }
        )
        forms += inline.formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is not None:
                data[form.add_prefix(name)] = _posted(value)
    return data


def resubmit(client, url, changes=None):
    """Post an admin change form as it is shown, inlines included, with ``changes`` (posted
    names and values): the warnings that follow."""
    data = admin_form_data(client, url) | (changes or {})
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain, response.context["errors"]  # saved, not shown again
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def _posted(value):
    """A form's initial value as a browser would post it."""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [getattr(item, "pk", item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return getattr(value, "pk", value)
