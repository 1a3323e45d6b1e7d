"""The admin's warnings after a save that holds votes (VoteWarningsMixin): a vote held before its
consultation's information was received (T0: the period runs from it, R2312-5, L2312-15), as the
site's meeting pages warn, on the vote's page, the meeting's and the consultation's; T0 moved
after some of a consultation's votes; and each warning only for what the save touched, once
(found by a QA pass as a union editor: votes saved in the admin got no T0 warning, a T0 moved
after the votes none, and the off-agenda warnings came back at every save)."""

import datetime

import pytest
from django.urls import reverse

from consultations.models import Vote

from . import factories
from .conftest import client_for
from .test_off_agenda_votes import admin_form_data, resubmit

pytestmark = pytest.mark.django_db

D = datetime.date
BEFORE_T0 = "la réunion est datée d'avant. Vérifiez les dates"
SEVERAL_BEFORE_T0 = "ont eu lieu à des réunions datées d'avant"
OFF_AGENDA = "qui ne figure pas à l'ordre du jour"


@pytest.fixture
def consultation(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a, name="CSE A", seats=9)
    return factories.ConsultationFactory(
        body=body, title="Analyse des appels", information_received_on=D(2025, 3, 3)
    )


@pytest.fixture
def client(superuser):
    return client_for(superuser)


def meeting_of(consultation, day, *, on_agenda=True):
    meeting = factories.MeetingFactory(body=consultation.body, held_on=day, agenda_sent_on=None)
    if on_agenda:
        meeting.consultations.add(consultation)
    return meeting


def vote_on(consultation, day, subject=Vote.Subject.APPOINT_EXPERT, *, on_agenda=True, **kw):
    meeting = meeting_of(consultation, day, on_agenda=on_agenda)
    return factories.VoteFactory(meeting=meeting, consultation=consultation, subject=subject, **kw)


def vote_url(vote):
    return reverse("admin:consultations_vote_change", args=[vote.pk])


def meeting_url(meeting):
    return reverse("admin:consultations_meeting_change", args=[meeting.pk])


def consultation_url(consultation):
    return reverse("admin:consultations_consultation_change", args=[consultation.pk])


def plain(text):
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def warnings_of(client, url, changes=None):
    return [plain(warning) for warning in resubmit(client, url, changes)]


# --- A vote placed before T0, on each of the admin's pages ------------------------------------


def test_a_vote_moved_to_a_meeting_before_t0_is_warned_of_once(consultation, client):
    vote = vote_on(consultation, D(2025, 3, 10))
    earlier = meeting_of(consultation, D(2025, 2, 27))
    warnings = warnings_of(client, vote_url(vote), {"meeting": earlier.pk})
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(
        "Le vote du 27 février 2025 (Désignation d'un expert) porte sur la consultation "
        "« Analyse des appels », dont les informations ont été reçues le 3 mars 2025 (T0) : "
        "la réunion est datée d'avant."
    )
    vote.refresh_from_db()
    assert vote.meeting == earlier  # saved
    # Saved again, or with its question changed: not said again.
    assert warnings_of(client, vote_url(vote)) == []
    assert warnings_of(client, vote_url(vote), {"question": "Le cabinet Alpha"}) == []


def test_a_vote_added_on_a_new_page_before_t0_is_warned_of(consultation, client):
    earlier = meeting_of(consultation, D(2025, 2, 27))
    response = client.post(
        reverse("admin:consultations_vote_add"),
        {
            "meeting": earlier.pk,
            "consultation": consultation.pk,
            "subject": Vote.Subject.APPOINT_EXPERT,
            "question": "Désignation d'un expert",
            "votes_for": 9,
            "votes_against": 0,
            "abstentions": 0,
            "blank_votes": 0,
            "voting_members_present": 9,
        },
        follow=True,
    )
    assert response.redirect_chain, response.context["errors"]
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and BEFORE_T0 in plain(warnings[0])


def test_a_vote_after_t0_is_not_warned_of(consultation, client):
    vote = vote_on(consultation, D(2025, 2, 27))
    later = meeting_of(consultation, D(2025, 3, 3))  # T0's day itself
    assert warnings_of(client, vote_url(vote), {"meeting": later.pk}) == []


def inline_vote(data, prefix, **fields):
    """``data`` with a new vote in the inline formset ``prefix``."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    values = {
        "subject": Vote.Subject.APPOINT_EXPERT,
        "question": "Désignation d'un expert",
        "votes_for": 9,
        "votes_against": 0,
        "abstentions": 0,
        "blank_votes": 0,
        "voting_members_present": 9,
    } | fields
    return (
        data
        | {f"{prefix}-TOTAL_FORMS": index + 1}
        | {f"{prefix}-{index}-{name}": value for name, value in values.items()}
    )


def test_a_vote_added_to_a_meeting_before_t0_is_warned_of_once(consultation, client):
    meeting = meeting_of(consultation, D(2025, 2, 27))
    url = meeting_url(meeting)
    data = inline_vote(admin_form_data(client, url), "votes", consultation=consultation.pk)
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.context["errors"]
    warnings = [plain(str(m)) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and BEFORE_T0 in warnings[0]
    assert meeting.votes.count() == 1
    # Its meeting saved again, its place changed: not said again.
    assert warnings_of(client, url, {"place": "Salle B"}) == []


def test_a_meeting_moved_before_t0_warns_of_its_votes(consultation, client):
    vote = vote_on(consultation, D(2025, 3, 10))
    warnings = warnings_of(client, meeting_url(vote.meeting), {"held_on": "2025-02-28"})
    assert len(warnings) == 1 and BEFORE_T0 in warnings[0]
    assert "Le vote du 28 février 2025 (Désignation d'un expert)" in warnings[0]
    assert warnings_of(client, meeting_url(vote.meeting)) == []


def test_a_consultations_vote_moved_before_t0_is_warned_of(consultation, client):
    vote_on(consultation, D(2025, 3, 10))
    earlier = meeting_of(consultation, D(2025, 2, 27))
    url = consultation_url(consultation)
    warnings = warnings_of(client, url, {"votes-0-meeting": earlier.pk})
    assert len(warnings) == 1 and BEFORE_T0 in warnings[0]
    assert warnings_of(client, url) == []


# --- T0 moved after the votes -------------------------------------------------------------


def test_t0_moved_after_a_vote_warns_of_it(consultation, client):
    vote_on(consultation, D(2025, 3, 10))
    vote_on(consultation, D(2025, 3, 20), Vote.Subject.MOTION)  # still after T0
    url = consultation_url(consultation)
    warnings = warnings_of(client, url, {"information_received_on": "2025-03-14"})
    consultation.refresh_from_db()
    assert consultation.information_received_on == D(2025, 3, 14)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(
        "Le vote du 10 mars 2025 (Désignation d'un expert) porte sur la consultation "
        "« Analyse des appels », dont les informations ont été reçues le 14 mars 2025 (T0)"
    )
    # Saved again, or with another field changed: not said again.
    assert warnings_of(client, url) == []
    assert warnings_of(client, url, {"summary": "Un résumé."}) == []


def test_t0_moved_after_several_votes_warns_once_naming_them(consultation, client):
    vote_on(consultation, D(2025, 3, 10))
    motion = vote_on(consultation, D(2025, 3, 12), Vote.Subject.MOTION)
    # Two motions of one meeting read alike: named once.
    factories.VoteFactory(
        meeting=motion.meeting, consultation=consultation, subject=Vote.Subject.MOTION
    )
    warnings = warnings_of(
        client, consultation_url(consultation), {"information_received_on": "2025-03-14"}
    )
    assert warnings == [
        "Des votes sur la consultation « Analyse des appels », dont les informations ont été "
        "reçues le 14 mars 2025 (T0), ont eu lieu à des réunions datées d'avant : le 10 mars "
        "2025 (Désignation d'un expert) et le 12 mars 2025 (Motion ou résolution). Vérifiez "
        "les dates : un vote ne précède la remise des informations que si elles ont été "
        "données à cette réunion même, et T0 est alors ce jour-là (le délai court de leur "
        "remise, R2312-5, L2312-15)."
    ]


def test_t0_moved_before_the_votes_says_nothing(consultation, client):
    vote_on(consultation, D(2025, 3, 10))
    url = consultation_url(consultation)
    assert warnings_of(client, url, {"information_received_on": "2025-03-10"}) == []
    assert warnings_of(client, url, {"information_received_on": "2025-02-20"}) == []


def test_t0_moved_after_the_opinion_vote_is_refused_beside_the_field(consultation, client):
    """As Vote.clean refuses an opinion voted before T0, Consultation.clean refuses T0 moved
    after the opinion's vote: the information was given at the latest on that day (R2312-6)."""
    vote_on(consultation, D(2025, 3, 10), Vote.Subject.OPINION)
    url = consultation_url(consultation)
    data = admin_form_data(client, url) | {"information_received_on": "2025-03-14"}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["information_received_on"]
    assert "La réunion du 10 mars 2025 a voté l'avis de cette consultation" in plain(errors[0])
    consultation.refresh_from_db()
    assert consultation.information_received_on == D(2025, 3, 3)


# --- Once each, for what the save touched -----------------------------------------------------


def test_two_votes_of_one_day_off_the_agenda_are_warned_of_once(consultation, client):
    first = vote_on(consultation, D(2025, 3, 10), Vote.Subject.MOTION)
    factories.VoteFactory(
        meeting=first.meeting, consultation=consultation, subject=Vote.Subject.MOTION
    )
    warnings = warnings_of(client, meeting_url(first.meeting), {"consultations": []})
    assert len(warnings) == 1 and OFF_AGENDA in warnings[0]
    assert warnings_of(client, meeting_url(first.meeting)) == []


def test_a_vote_moved_both_off_the_agenda_and_before_t0_gets_both_warnings(consultation, client):
    vote = vote_on(consultation, D(2025, 3, 10))
    earlier = meeting_of(consultation, D(2025, 2, 27), on_agenda=False)
    warnings = warnings_of(client, vote_url(vote), {"meeting": earlier.pk})
    assert len(warnings) == 2, warnings
    assert OFF_AGENDA in warnings[0] and BEFORE_T0 in warnings[1]


def test_only_the_votes_the_save_touched_are_warned_of(consultation, client):
    """A consultation with a vote long off its agenda and before T0, warned of when it was
    saved: another vote moved before T0 is the only one named."""
    old = vote_on(consultation, D(2025, 2, 20), on_agenda=False)
    vote_on(consultation, D(2025, 3, 10), Vote.Subject.MOTION)
    earlier = meeting_of(consultation, D(2025, 2, 27))
    url = consultation_url(consultation)
    data = admin_form_data(client, url)
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and key.startswith("votes-") and value != old.pk
    )
    warnings = warnings_of(client, url, {f"votes-{index}-meeting": earlier.pk})
    assert len(warnings) == 1, warnings
    assert "Le vote du 27 février 2025 (Motion ou résolution)" in warnings[0]
    assert BEFORE_T0 in warnings[0]
