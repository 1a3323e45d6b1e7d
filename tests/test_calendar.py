"""The legal calendar wired to the records: deadlines, clock states, steps, feed and reminders."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from consultations.models import CalendarToken, Clock, Consultation, ReminderSent

from . import factories
from .conftest import client_for

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a)
    return factories.ConsultationFactory(
        body=body, information_received_on=D(2025, 3, 3), title="Projet Sentinelle"
    )


def test_it_gives_one_month_without_an_expert(consultation):
    due = consultation.deadline()
    assert due.date == D(2025, 4, 3)
    assert "R2312-6" in due.sources


def test_it_gives_two_months_with_an_expert_and_counts_clock_stops(consultation):
    factories.ExpertiseFactory(consultation=consultation, designated_on=D(2025, 3, 14))
    factories.ClockStopFactory(
        consultation=consultation, starts_on=D(2025, 3, 20), ends_on=D(2025, 4, 2)
    )
    due = Consultation.objects.with_clock_facts().get(pk=consultation.pk).deadline()
    assert due.date == D(2025, 5, 3) + datetime.timedelta(days=14)
    assert "L2315-86" in due.sources


@pytest.mark.parametrize(
    ("reasons", "said"),
    [
        (["expertise_contested"], "2 jours de suspension (L2315-86) ;"),
        (["judge_extension"], "2 jours de suspension (L2312-15) ;"),
        (["judge_extension", "agreement"], "2 jours de suspension (L2312-15, L2312-16) ;"),
        (["other"], "2 jours de suspension ;"),
    ],
)
def test_a_suspension_cites_the_article_it_was_made_under(consultation, reasons, said):
    """A judge's extension is made under L2312-15, not L2315-86 (the expertise contest)."""
    for reason in reasons:
        factories.ClockStopFactory(
            consultation=consultation,
            starts_on=D(2025, 3, 20),
            ends_on=D(2025, 3, 21),
            reason=reason,
        )
    due = Consultation.objects.with_clock_facts().get(pk=consultation.pk).deadline()
    assert due.date == D(2025, 4, 5)
    assert f"délai prolongé de {said}" in due.explanation
    assert ("L2315-86" in due.sources) == ("expertise_contested" in reasons)


def test_it_uses_the_bodys_agreed_period(consultation):
    consultation.body.agreed_days_without_expert = 20
    consultation.body.save()
    assert consultation.deadline().date == D(2025, 3, 23)


@pytest.mark.parametrize(
    ("without_expert", "with_expert", "expert", "last_day"),
    [
        (30, None, False, D(2025, 4, 2)),
        (30, None, True, D(2025, 4, 2)),  # not the legal 2 months: the agreement displaces them
        (None, 45, True, D(2025, 4, 17)),
        (None, 45, False, D(2025, 4, 3)),  # agreed with an expert only: the legal month
        (20, 45, False, D(2025, 3, 23)),
        (20, 45, True, D(2025, 4, 17)),
        (None, None, True, D(2025, 5, 3)),
    ],
)
def test_an_agreed_period_displaces_the_legal_one_expert_included(
    consultation, without_expert, with_expert, expert, last_day
):
    """L2312-16; Cass. soc. 29 June 2022 (LEGAL.md trap 4): an agreement that gives one period
    only does not bring back R2312-6's extension when an expert is appointed; one that sets the
    period with an expert only leaves the legal month without one."""
    consultation.body.agreed_days_without_expert = without_expert
    consultation.body.agreed_days_with_expert = with_expert
    consultation.body.save()
    if expert:
        factories.ExpertiseFactory(consultation=consultation)
    consultation = Consultation.objects.with_clock_facts().get(pk=consultation.pk)
    assert consultation.deadline().date == last_day
    assert consultation.deadline_on == last_day
    # The period agreed with an expert is named so; the one period agreed is not extended.
    explanation = consultation.deadline().explanation
    assert ("en cas d'expertise" in explanation) == (expert and with_expert is not None)
    assert ("ne prolonge pas" in explanation) == (
        expert and with_expert is None and bool(without_expert)
    )


def test_it_has_no_deadline_before_the_information(consultation):
    consultation.information_received_on = None
    assert consultation.deadline() is None
    assert consultation.clock_state(on=D(2025, 3, 4)) == Clock.NOT_STARTED


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (D(2025, 3, 4), Clock.RUNNING),
        (D(2025, 3, 28), Clock.DUE_SOON),
        (D(2025, 4, 4), Clock.EXPIRED),
    ],
)
def test_it_computes_the_clock_state_from_the_facts(consultation, on, state):
    assert consultation.clock_state(on=on) == state


def test_it_waits_for_the_answer_until_the_next_meeting(consultation):
    consultation.opinion, consultation.opinion_on = (
        Consultation.Opinion.UNFAVOURABLE,
        D(2025, 3, 30),
    )
    consultation.save()
    factories.MeetingFactory(
        body=consultation.body, held_on=D(2025, 4, 24), agenda_sent_on=D(2025, 4, 18)
    )
    assert consultation.answer_due().date == D(2025, 4, 24)
    assert consultation.clock_state(on=D(2025, 4, 24)) == Clock.OPINION_GIVEN
    assert consultation.clock_state(on=D(2025, 4, 25)) == Clock.ANSWER_OVERDUE
    factories.ManagementResponseFactory(consultation=consultation, received_on=D(2025, 5, 2))
    assert consultation.clock_state(on=D(2025, 5, 3)) == Clock.ANSWERED


def test_it_does_not_count_an_answer_without_position(consultation):
    consultation.opinion, consultation.opinion_on = (
        Consultation.Opinion.UNFAVOURABLE,
        D(2025, 3, 30),
    )
    consultation.save()
    factories.ManagementResponseFactory(consultation=consultation, stance="no_answer")
    assert consultation.clock_state(on=D(2025, 6, 1)) == Clock.ANSWER_OVERDUE


def test_it_marks_expertise_milestones_late_or_met(consultation):
    expertise = factories.ExpertiseFactory(
        consultation=consultation,
        designated_on=D(2025, 3, 14),
        information_requested_on=D(2025, 3, 17),
    )
    steps = {step.key: step for step in expertise.milestones(on=D(2025, 3, 30))}
    assert steps["information_request"].state == "met"
    assert steps["employer_answer"].due.date == D(2025, 3, 24)
    assert steps["employer_answer"].state == "late"
    assert steps["cost_notice"].state == "late"
    assert steps["report"].state == "pending"


def test_an_information_request_the_expert_did_not_make_is_not_late(consultation, reader_a):
    """R2315-45: the expert *may* ask; past the 3 days without a request, the step lapses: the
    page says so without a late badge, and the workspace lists nothing late for it."""
    expertise = factories.ExpertiseFactory(consultation=consultation, designated_on=D(2025, 3, 14))
    steps = {step.key: step for step in expertise.milestones(on=D(2025, 3, 30))}
    assert steps["information_request"].state == "lapsed"
    assert steps["cost_notice"].state == "late"
    from consultations.due_dates import clock_items

    consultation = Consultation.objects.with_clock_facts().get(pk=consultation.pk)
    keys = {item.uid for item in clock_items(consultation, D(2025, 3, 30))}
    assert f"vigie-consultation-{consultation.pk}-expertise-{expertise.pk}-cost_notice" in keys
    assert not any(key.endswith("information_request") for key in keys)
    with time_machine.travel(datetime.datetime(2025, 3, 30, 12, 0), tick=False):
        page = client_for(reader_a).get(
            reverse("consultations:consultation-detail", args=[consultation.pk])
        )
    assert "Délai passé (facultatif)" in page.content.decode()


def test_a_step_met_after_its_date_is_met_late_on_the_page_and_in_the_admin(consultation, editor_a):
    """The report due 15 days before the end of the period (R2315-47), delivered a day after:
    "Fait en retard", the record of a missed deadline, rather than a plain "Fait"."""
    consultation.body.organisation = editor_a.memberships.get().organisation
    consultation.body.save()
    expertise = factories.ExpertiseFactory(
        consultation=consultation,
        designated_on=D(2025, 3, 14),
        report_delivered_on=D(2025, 4, 19),  # due 18 April: 3 May - 15 days
    )
    steps = {step.key: step for step in expertise.milestones(on=D(2025, 4, 20))}
    assert steps["report"].due.date == D(2025, 4, 18)
    assert steps["report"].state == "met_late"
    page = client_for(editor_a).get(
        reverse("consultations:consultation-detail", args=[consultation.pk])
    )
    assert '<span class="badge text-bg-warning">Fait en retard</span> 19/04/2025' in (
        page.content.decode()
    )
    form = client_for(editor_a).get(reverse("consultations:expertise-edit", args=[expertise.pk]))
    assert "Fait en retard, le 19/04/2025" in form.content.decode()


def test_it_marks_the_minutes_late_and_the_agenda_met():
    meeting = factories.MeetingFactory(held_on=D(2025, 3, 14), agenda_sent_on=D(2025, 3, 10))
    steps = {step.key: step for step in meeting.steps(on=D(2025, 4, 15))}
    assert steps["agenda"].state == "met"
    assert steps["minutes"].state == "late"


def test_it_filters_the_admin_changelist_by_clock_state(consultation, superuser):
    factories.ConsultationFactory(
        body=consultation.body, title="Pas commencée", information_received_on=None
    )
    url = reverse("admin:consultations_consultation_changelist")
    with time_machine.travel(datetime.datetime(2025, 3, 4, 12, 0), tick=False):
        page = client_for(superuser).get(url, {"clock": "not_started"}).content.decode()
        assert "Pas commencée" in page and consultation.title not in page
        page = client_for(superuser).get(url, {"clock": "running"}).content.decode()
        assert consultation.title in page
        change = client_for(superuser).get(
            reverse("admin:consultations_consultation_change", args=[consultation.pk])
        )
    assert "03/04/2025" in change.content.decode()
    assert "3 mars 2025" in change.content.decode()
    assert "R2312-6" in change.content.decode()


# --- iCalendar feed ---------------------------------------------------------------------------


def feed(client, user):
    token = CalendarToken.for_user(user).token
    return client.get(reverse("consultations:calendar-feed", args=[token]))


def test_it_serves_the_dates_due_as_icalendar(consultation, reader_a, editor_b, client):
    factories.ExpertiseFactory(consultation=consultation, designated_on=D(2025, 3, 14))
    response = feed(client, reader_a)
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    by_uid = {str(event["uid"]): event for event in events}
    # Ending with the site's domain: unique across installations, as RFC 5545 asks.
    deadline = by_uid[f"vigie-consultation-{consultation.pk}-deadline@testserver"]
    assert deadline.decoded("dtstart") == D(2025, 5, 3)
    assert "R2312-6" in str(deadline["description"])
    assert len(by_uid) == len(events)  # stable, unique UIDs
    again = Calendar.from_ical(feed(client, reader_a).content).walk("VEVENT")
    assert {str(e["uid"]) for e in again} == set(by_uid)
    assert Calendar.from_ical(feed(client, editor_b).content).walk("VEVENT") == []


def test_a_feed_with_no_date_due_is_still_a_valid_calendar(editor_b, client):
    """A calendar holds at least one component (RFC 5545, 3.6): the time zone it names."""
    calendar = Calendar.from_ical(feed(client, editor_b).content)
    assert calendar.walk("VEVENT") == []
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == str(calendar["x-wr-timezone"]) == "Europe/Paris"


def test_it_revokes_the_calendar_link(reader_a, client):
    old = CalendarToken.for_user(reader_a).token
    client_for(reader_a).post(reverse("consultations:calendar-revoke"))
    assert client.get(reverse("consultations:calendar-feed", args=[old])).status_code == 404
    assert feed(client, reader_a).status_code == 200


def test_it_shows_the_calendar_page_only_to_signed_in_users(reader_a, client):
    assert client.get(reverse("consultations:calendar-settings")).status_code == 302
    page = client_for(reader_a).get(reverse("consultations:calendar-settings"))
    assert CalendarToken.objects.get(user=reader_a).token in page.content.decode()
    # The revoke address followed changes nothing: it leads to the page and its button.
    token = CalendarToken.objects.get(user=reader_a).token
    followed = client_for(reader_a).get(reverse("consultations:calendar-revoke"))
    assert followed.url == reverse("consultations:calendar-settings")
    assert CalendarToken.objects.get(user=reader_a).token == token


def test_the_link_field_says_it_is_secret(reader_a):
    """A screen reader reads the warning with the link's field, not only in the page's text."""
    page = client_for(reader_a).get(reverse("consultations:calendar-settings")).content.decode()
    assert 'aria-describedby="feed-url-secret"' in page
    warning = page.split('id="feed-url-secret">', 1)[1]
    assert warning.startswith("Ce lien est secret")


@pytest.fixture
def member_of_a_and_b(organisation_a, organisation_b):
    user = factories.UserFactory(username="federation")
    for organisation in (organisation_a, organisation_b):
        factories.MembershipFactory(user=user, organisation=organisation)
    for organisation, title in ((organisation_a, "Projet Alpha"), (organisation_b, "Projet Bravo")):
        factories.ConsultationFactory(
            body=factories.BodyFactory(organisation=organisation),
            title=title,
            information_received_on=D(2025, 3, 3),
        )
    return user


def event_titles(response):
    events = Calendar.from_ical(response.content).walk("VEVENT")
    return {str(event["summary"]).split(" — ", 1)[1] for event in events}


def test_it_narrows_the_calendar_feed_to_one_of_my_organisations(
    member_of_a_and_b, organisation_a, client
):
    url = reverse(
        "consultations:calendar-feed", args=[CalendarToken.for_user(member_of_a_and_b).token]
    )
    outsider = factories.OrganisationFactory(name="Ailleurs")
    factories.ConsultationFactory(body=factories.BodyFactory(organisation=outsider))
    with time_machine.travel(datetime.datetime(2025, 3, 20, 12, 0), tick=False):
        everything = client.get(url)
        only_a = client.get(url, {"organisation": organisation_a.pk})
        all_again = client.get(url, {"organisation": ""})
        refused = [
            client.get(url, {"organisation": value}).status_code
            for value in (outsider.pk, "abc", "1 OR 1=1", 10**30)
        ]

    assert event_titles(everything) == {"Projet Alpha", "Projet Bravo"}
    assert event_titles(only_a) == {"Projet Alpha"}
    assert str(Calendar.from_ical(only_a.content)["x-wr-calname"]).endswith("— Organisation A")
    assert event_titles(all_again) == event_titles(everything)
    assert refused == [404] * 4  # a calendar app shows no form: nothing of another organisation


def test_it_offers_a_calendar_link_per_organisation(member_of_a_and_b, organisation_a, editor_b):
    url = reverse("consultations:calendar-settings")
    token = CalendarToken.for_user(member_of_a_and_b).token
    client = client_for(member_of_a_and_b)
    everything = client.get(url).content.decode()
    assert 'name="organisation"' in everything
    assert f'/feeds/calendar/{token}.ics?lang=fr"' in everything
    only_a = client.get(url, {"organisation": organisation_a.pk}).content.decode()
    assert f'/feeds/calendar/{token}.ics?lang=fr&amp;organisation={organisation_a.pk}"' in only_a
    assert "Lien de votre agenda pour Organisation A" in only_a
    refused = client.get(url, {"organisation": "abc"}).content.decode()
    assert "invalid-feedback" in refused and f'{token}.ics?lang=fr"' in refused
    # A member of one organisation has one link, no choice.
    assert 'name="organisation"' not in client_for(editor_b).get(url).content.decode()
    # The workspace narrowed to A leads to A's link.
    workspace = client.get(reverse("consultations:workspace"), {"organisation": organisation_a.pk})
    assert f'{url}?organisation={organisation_a.pk}"' in workspace.content.decode()


@pytest.fixture
def shared_meeting(consultation):
    """A meeting with two consultations on its agenda, its minutes not yet sent."""
    other = factories.ConsultationFactory(
        body=consultation.body, information_received_on=D(2025, 3, 3), title="Projet Vigilance"
    )
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 14))
    meeting.consultations.add(consultation, other)
    return meeting


def test_a_meetings_minutes_are_one_event_naming_each_consultation(
    shared_meeting, reader_a, client
):
    """Two consultations debated at one meeting made two identical events of its minutes."""
    with time_machine.travel(datetime.datetime(2025, 3, 20, 12, 0), tick=False):
        events = Calendar.from_ical(feed(client, reader_a).content).walk("VEVENT")
    (minutes,) = [event for event in events if "procès-verbal" in str(event["summary"])]
    assert str(minutes["uid"]) == f"vigie-meeting-{shared_meeting.pk}-minutes@testserver"
    assert str(minutes["summary"]).endswith("— Projet Sentinelle · Projet Vigilance")
    description = str(minutes["description"])
    assert "L2315-34" in description
    assert "Projet Sentinelle — " in description and "Projet Vigilance — " in description
    # Each consultation's own deadline stays its own event.
    assert sum("Dernier jour pour l'avis" in str(event["summary"]) for event in events) == 2


def test_the_feed_is_written_in_the_language_of_the_page_it_was_taken_from(reader_a, settings):
    """A calendar app sends its own Accept-Language and no cookie: the link says the language
    (QA pass as a reader: an English reader's calendar came in French)."""
    client = client_for(reader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("consultations:calendar-settings")).content.decode()
    token = CalendarToken.for_user(reader_a).token
    assert f"/feeds/calendar/{token}.ics?lang=en" in page
    url = reverse("consultations:calendar-feed", args=[token])
    app = Client(HTTP_ACCEPT_LANGUAGE="fr")
    assert b"X-WR-CALNAME:Vigie \xe2\x80\x94 due dates" in app.get(url, {"lang": "en"}).content
    assert "Vigie — échéances".encode() in app.get(url).content
    assert app.get(url, {"lang": "de"}).status_code == 404


# --- Reminders ----------------------------------------------------------------------------------


@pytest.fixture
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.usefixtures("_locmem")
def test_it_reminds_each_member_once_per_date(consultation, reader_a, editor_a, editor_b):
    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        call_command("send_deadline_reminders", days=14)
        assert sorted(m.to[0] for m in mail.outbox) == [
            "editor-a@example.org",
            "reader-a@example.org",
        ]
        assert "3 avril 2025" in mail.outbox[0].body or "jeudi 3 avril 2025" in mail.outbox[0].body
        assert "http" not in mail.outbox[0].body  # no VIGIE_SITE_URL, no link
        call_command("send_deadline_reminders", days=14)
        assert len(mail.outbox) == 2
    assert ReminderSent.objects.filter(user=reader_a).count() == 1


@pytest.mark.usefixtures("_locmem")
def test_the_reminder_links_each_date_to_its_consultation(consultation, reader_a, settings):
    settings.VIGIE_SITE_URL = "https://vigie.example.org"
    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        call_command("send_deadline_reminders", days=14)
    (message,) = [m for m in mail.outbox if m.to == ["reader-a@example.org"]]
    assert f"https://vigie.example.org/consultations/{consultation.pk}/" in message.body
    assert "Votre espace\u00a0: https://vigie.example.org/workspace/" in message.body


@pytest.mark.usefixtures("_locmem")
def test_the_reminder_writes_the_first_of_the_month_as_1er(organisation_a, reader_a):
    """As the workspace, the explanations and the PDFs do (QA pass on the dates: the e-mail
    read « jeudi 1 mai 2025 » above « 1er mai » in the explanations)."""
    factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a),
        information_received_on=D(2025, 4, 1),
    )
    with time_machine.travel(datetime.datetime(2025, 4, 20, 8, 0), tick=False):
        call_command("send_deadline_reminders", days=14)
    (message,) = mail.outbox
    assert "- jeudi 1er mai 2025 — Dernier jour pour l'avis" in message.body
    assert " 1 mai" not in message.body


@pytest.mark.usefixtures("_locmem")
@pytest.mark.parametrize("status", ["withdrawn", "closed"])
def test_it_reminds_of_nothing_the_workspace_no_longer_lists(consultation, reader_a, status):
    """A withdrawn project or a closed file: the workspace lists none of its dates, nor do the
    reminders (a QA pass on the dates found an expert's steps of a withdrawn project in one)."""
    factories.ExpertiseFactory(consultation=consultation, designated_on=D(2025, 3, 20))
    consultation.status = status
    consultation.save()
    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        call_command("send_deadline_reminders", days=14)
        assert mail.outbox == []
        workspace = client_for(reader_a).get(reverse("consultations:workspace"))
        assert workspace.context["upcoming_count"] == workspace.context["late_count"] == 0


@pytest.mark.parametrize("status", ["withdrawn", "closed"])
def test_the_feed_holds_no_date_of_a_withdrawn_project_or_a_closed_file(
    consultation, reader_a, client, status
):
    """As the workspace and the reminders: an expert's milestones of a withdrawn project are no
    longer due (the feed listed them, a year after the project was dropped)."""
    factories.ExpertiseFactory(consultation=consultation, designated_on=D(2025, 3, 20))
    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        assert Calendar.from_ical(feed(client, reader_a).content).walk("VEVENT") != []
        consultation.status = status
        consultation.save()
        assert Calendar.from_ical(feed(client, reader_a).content).walk("VEVENT") == []


@pytest.mark.usefixtures("_locmem")
def test_a_superuser_is_reminded_of_their_own_organisations_only(consultation, organisation_b):
    admin = factories.UserFactory(
        username="federation-admin", email="admin@example.org", is_superuser=True
    )
    factories.MembershipFactory(user=admin, organisation=organisation_b)
    factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_b),
        information_received_on=D(2025, 3, 3),
        title="Projet Bravo",
    )
    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        call_command("send_deadline_reminders", days=14)
    (message,) = [m for m in mail.outbox if m.to == ["admin@example.org"]]
    assert "Projet Bravo" in message.body and "Projet Sentinelle" not in message.body


@pytest.mark.usefixtures("_locmem")
def test_a_meetings_minutes_are_reminded_once_naming_each_consultation(
    shared_meeting, reader_a, settings
):
    settings.VIGIE_SITE_URL = "https://vigie.example.org"
    with time_machine.travel(datetime.datetime(2025, 3, 20, 8, 0), tick=False):
        call_command("send_deadline_reminders", days=14)
        (message,) = [m for m in mail.outbox if m.to == ["reader-a@example.org"]]
        assert message.body.count("Transmission du procès-verbal") == 1
        minutes = message.body.split("Transmission du procès-verbal", 1)[1].split("\n- ", 1)[0]
        for consultation in shared_meeting.consultations.all():
            assert f"{consultation.title} (" in minutes
            assert f"https://vigie.example.org/consultations/{consultation.pk}/" in minutes
        # Each consultation's step is recorded as reminded: the next run sends nothing again.
        assert ReminderSent.objects.filter(user=reader_a, uid__contains="-meeting-").count() == 2
        mail.outbox.clear()
        call_command("send_deadline_reminders", days=14)
        assert [m for m in mail.outbox if m.to == ["reader-a@example.org"]] == []


@pytest.mark.usefixtures("_locmem")
def test_it_sends_nothing_when_nothing_is_due(consultation, reader_a):
    with time_machine.travel(datetime.datetime(2025, 3, 4, 8, 0), tick=False):
        call_command("send_deadline_reminders", days=7)
    assert mail.outbox == []


def test_the_setting_moves_a_last_day_off_a_saturday(consultation, settings):
    factories.ExpertiseFactory(consultation=consultation)  # 2 months: Saturday 3 May 2025
    consultation = Consultation.objects.with_clock_facts().get(pk=consultation.pk)
    assert consultation.deadline().date == D(2025, 5, 3)
    settings.VIGIE_ROLL_OVER_CONSULTATION_PERIOD = True
    assert consultation.deadline().date == D(2025, 5, 5)


@pytest.mark.parametrize(("expert", "last_day"), [(False, D(2025, 3, 27)), (True, D(2025, 5, 27))])
def test_an_establishment_councils_last_day_is_7_days_before_the_centrals(
    organisation_a, expert, last_day
):
    """R2312-6 II: an establishment council consulted with the central one gives its opinion 7
    days before the central's period ends (1 month, or 3 months with an expertise), or it is
    deemed negative; the central council's own record keeps its date."""
    central = factories.BodyFactory(organisation=organisation_a, kind="cse_central")
    establishment = factories.BodyFactory(
        organisation=organisation_a, kind="cse_establishment", parent=central
    )
    records = {}
    for body in (central, establishment):
        records[body.kind] = factories.ConsultationFactory(
            body=body,
            deployment__organisation=organisation_a,
            information_received_on=D(2025, 3, 3),
            two_level=True,
        )
        if expert:
            factories.ExpertiseFactory(consultation=records[body.kind])
    side = Consultation.objects.with_clock_facts().get(pk=records["cse_establishment"].pk)
    assert side.deadline().date == side.deadline_on == last_day
    assert "7 jours avant la fin de ce délai du CSE central" in side.deadline().explanation
    assert side.establishment_opinion_due() is None
    main = Consultation.objects.with_clock_facts().get(pk=records["cse_central"].pk)
    assert main.deadline().date == last_day + datetime.timedelta(days=7)
    assert main.establishment_opinion_due().date == last_day
    after = last_day + datetime.timedelta(days=1)
    sql = Consultation.objects.with_clock_state(after).get(pk=side.pk).clock
    assert sql == side.clock_state(after) == Clock.EXPIRED


@pytest.mark.parametrize("voted_by", ["cse_central", "cse_establishment"])
def test_an_expertise_voted_at_one_level_gives_both_records_three_months(
    organisation_a, editor_a, voted_by
):
    """R2312-6 II: "une ou plusieurs expertises" at either level give the central council 3
    months and the establishment councils 3 months less 7 days. Each council keeps its own
    record and the expertise is on the record of the council that voted it: the other record
    says so with expertise_at_other_level."""
    central = factories.BodyFactory(organisation=organisation_a, kind="cse_central")
    establishment = factories.BodyFactory(
        organisation=organisation_a, kind="cse_establishment", parent=central
    )
    records = {
        body.kind: factories.ConsultationFactory(
            body=body,
            deployment__organisation=organisation_a,
            information_received_on=D(2025, 3, 3),
            two_level=True,
        )
        for body in (central, establishment)
    }
    factories.ExpertiseFactory(consultation=records[voted_by])
    other = next(record for kind, record in records.items() if kind != voted_by)
    loaded = Consultation.objects.with_clock_facts().get(pk=other.pk)
    assert loaded.deadline().date in (D(2025, 4, 3), D(2025, 3, 27))  # not told yet
    client = client_for(editor_a)
    with time_machine.travel(datetime.datetime(2025, 3, 10, 12, 0), tick=False):
        # While the period runs: once it has ended, an expert would extend nothing.
        page = client.get(reverse("consultations:consultation-detail", args=[other.pk]))
    assert "le délai passe alors à trois mois, la consultation se tenant à deux niveaux" in (
        page.content.decode()
    )
    other.expertise_at_other_level = True
    other.full_clean()
    other.save()
    for kind, last_day in (("cse_central", D(2025, 6, 3)), ("cse_establishment", D(2025, 5, 27))):
        record = Consultation.objects.with_clock_facts().get(pk=records[kind].pk)
        assert record.deadline().date == record.deadline_on == last_day, kind
        assert "deux niveaux avec expertise" in record.deadline().explanation
    central_record = Consultation.objects.with_clock_facts().get(pk=records["cse_central"].pk)
    assert central_record.establishment_opinion_due().date == D(2025, 5, 27)
    page = client.get(reverse("consultations:consultation-detail", args=[other.pk]))
    assert "avec une expertise votée à l&#x27;autre niveau" not in page.content.decode()
    assert "avec une expertise votée à l'autre niveau" in page.content.decode()


def test_an_expertise_at_another_level_needs_two_levels(organisation_a):
    from django.core.exceptions import ValidationError

    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a),
        information_received_on=D(2025, 3, 3),
        expertise_at_other_level=True,
    )
    with pytest.raises(ValidationError) as caught:
        consultation.full_clean()
    assert "deux niveaux" in caught.value.message_dict["expertise_at_other_level"][0]
    assert consultation.deadline().date == D(
        2025, 4, 3
    )  # a single level: the box counts for nothing


@pytest.mark.parametrize(
    ("vote_on", "designated_on", "last_day"),
    [
        (None, D(2025, 4, 3), D(2025, 5, 5)),  # on the last day: 2 months (3 May, a Saturday)
        (None, D(2025, 4, 10), D(2025, 4, 3)),  # after it: too late, still 1 month
        (D(2025, 4, 1), D(2025, 4, 10), D(2025, 5, 5)),  # voted in time, designated after
    ],
)
def test_an_expertise_decided_after_the_period_ended_does_not_extend_it(
    consultation, settings, vote_on, designated_on, last_day
):
    """R2312-6: the council appoints its expert within the period; once the period without
    expert has ended, it is deemed consulted, and an expertise decided later extends nothing."""
    settings.VIGIE_ROLL_OVER_CONSULTATION_PERIOD = True
    vote = None
    if vote_on:
        meeting = factories.MeetingFactory(body=consultation.body, held_on=vote_on)
        meeting.consultations.add(consultation)
        vote = factories.VoteFactory(
            meeting=meeting, consultation=consultation, subject="appoint_expert"
        )
    expertise = factories.ExpertiseFactory(
        consultation=consultation, designated_on=designated_on, appointing_vote=vote
    )
    loaded = Consultation.objects.with_clock_facts().get(pk=consultation.pk)
    due = loaded.deadline()
    assert due.date == last_day
    assert Consultation.objects.get(pk=consultation.pk).deadline().date == last_day  # no prefetch
    too_late = last_day == D(2025, 4, 3)
    assert (
        "l'expertise décidée le 10 avril 2025, après la fin de ce délai, ne le prolonge pas"
        in due.explanation
    ) is too_late
    keys = [step.key for step in expertise.milestones(on=D(2025, 4, 12))]
    assert ("report" in keys) is not too_late  # no report "15 days before" a day gone by


@pytest.mark.parametrize(
    ("outcome", "last_day", "said"),
    [
        ("rejected", D(2025, 5, 13), False),
        ("annulled", D(2025, 4, 13), True),
    ],
)
def test_an_expertise_the_judge_annulled_does_not_extend_the_period(
    consultation, outcome, last_day, said
):
    """L2315-86: the contest suspends the period until the judgment is notified (10 days here,
    15 to 24 March); an annulled expertise has no expert intervene, so the period is the one
    without expert (R2312-6 I), 1 month plus the suspension."""
    factories.ExpertiseFactory(
        consultation=consultation,
        designated_on=D(2025, 3, 14),
        contested_on=D(2025, 3, 15),
        judgment_on=D(2025, 3, 25),
        contest_outcome=outcome,
    )
    due = Consultation.objects.with_clock_facts().get(pk=consultation.pk).deadline()
    assert due.date == last_day
    assert ("l'expertise annulée par le juge ne le prolonge pas (L2315-86)" in due.explanation) is (
        said
    )
    expertise = consultation.expertises.get()
    assert bool(expertise.milestones(on=D(2025, 4, 1))) is not said  # no step due once annulled


@pytest.mark.parametrize(
    ("vote_on", "last_day"),
    [
        (None, D(2025, 4, 13)),
        (D(2025, 3, 12), D(2025, 4, 13)),  # the vote of the annulled expertise: it counts no more
        (D(2025, 4, 1), D(2025, 5, 13)),  # a new vote after the judgment, within the period
    ],
)
def test_a_vote_for_an_expert_after_the_annulment_extends_the_period(
    consultation, vote_on, last_day
):
    """The judge annulled the expertise on 25 March (L2315-86; the contest suspended the
    period 10 days, to 13 April). The council votes again for an expert on 1 April: from that
    vote, before its expertise is recorded, the period is 2 months, plus the suspension
    (R2312-6)."""
    factories.ExpertiseFactory(
        consultation=consultation,
        designated_on=D(2025, 3, 14),
        contested_on=D(2025, 3, 15),
        judgment_on=D(2025, 3, 25),
        contest_outcome="annulled",
    )
    if vote_on:
        meeting = factories.MeetingFactory(body=consultation.body, held_on=vote_on)
        meeting.consultations.add(consultation)
        factories.VoteFactory(meeting=meeting, consultation=consultation, subject="appoint_expert")
    due = Consultation.objects.with_clock_facts().get(pk=consultation.pk).deadline()
    assert due.date == last_day
    assert Consultation.objects.get(pk=consultation.pk).deadline().date == last_day
    assert Consultation.objects.get(pk=consultation.pk).deadline_on == last_day  # the lists'
    annulled_said = "l'expertise annulée par le juge ne le prolonge pas (L2315-86)"
    assert (annulled_said in due.explanation) is (last_day == D(2025, 4, 13))


def test_an_expertise_recorded_without_its_vote_counts_from_an_adopted_vote_in_time(
    consultation,
):
    """The vote appointing an expert came on 1 April, within the month; the expertise was
    recorded without it and designated on 7 April: it extends the period (found in review)."""
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 4, 1))
    meeting.consultations.add(consultation)
    factories.VoteFactory(meeting=meeting, consultation=consultation, subject="appoint_expert")
    factories.ExpertiseFactory(consultation=consultation, designated_on=D(2025, 4, 7))
    loaded = Consultation.objects.with_clock_facts().get(pk=consultation.pk)
    assert loaded.deadline().date == D(2025, 5, 3)
    assert "après la fin de ce délai" not in loaded.deadline().explanation


def test_an_establishment_councils_expertise_is_late_after_its_own_last_day(organisation_a):
    """The establishment council's period ends 7 days before the central's (27 March for a T0
    of 3 March): an expertise it decides on 31 March comes too late for it."""
    central = factories.BodyFactory(organisation=organisation_a, kind="cse_central")
    establishment = factories.BodyFactory(
        organisation=organisation_a, kind="cse_establishment", parent=central
    )
    record = factories.ConsultationFactory(
        body=establishment,
        deployment__organisation=organisation_a,
        information_received_on=D(2025, 3, 3),
        two_level=True,
    )
    factories.ExpertiseFactory(consultation=record, designated_on=D(2025, 3, 31))
    due = Consultation.objects.with_clock_facts().get(pk=record.pk).deadline()
    assert due.date == D(2025, 3, 27)
    # Named: « ce délai » is the central's, which ends on 3 April (found by a reader's QA pass).
    assert (
        "l'expertise décidée le 31 mars 2025, après le 27 mars 2025, dernier jour de l'avis du "
        "CSE d'établissement, ne le prolonge pas (R2312-6 II)"
    ) in due.explanation
    assert "après la fin de ce délai" not in due.explanation


def test_an_opinion_deemed_negative_once_recorded_keeps_the_record_editable(consultation):
    """Deemed negative on 10 April, after the month; an expertise of 20 March recorded since
    moves the period to 3 May. The opinion stands as entered and the record can still be
    saved; entering the opinion again is checked (found in review)."""
    consultation.opinion, consultation.opinion_on = "deemed_negative", D(2025, 4, 10)
    consultation.full_clean()
    consultation.save()
    factories.ExpertiseFactory(consultation=consultation, designated_on=D(2025, 3, 20))
    consultation = Consultation.objects.get(pk=consultation.pk)
    consultation.summary = "Résumé complété"
    consultation.full_clean()
    consultation.opinion_on = D(2025, 4, 11)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        consultation.full_clean()
    assert "après le 3 mai 2025" in caught.value.message_dict["opinion"][0]


def two_level_central(organisation_a, **values):
    central = factories.BodyFactory(organisation=organisation_a, kind="cse_central")
    return factories.ConsultationFactory(
        body=central,
        deployment__organisation=organisation_a,
        information_received_on=D(2025, 3, 3),
        two_level=True,
        **values,
    )


@pytest.mark.parametrize(
    ("received", "page_says"),
    [
        (D(2025, 3, 20), "Transmis le 20 mars 2025."),
        (D(2025, 3, 31), "Transmis le 31 mars 2025, après cette date : réputés négatifs"),
    ],
)
def test_the_establishment_opinions_once_received_are_no_longer_due(
    organisation_a, editor_a, received, page_says
):
    """R2312-6 II: the central council's list of dates due keeps the establishment opinions
    until they are received (the 27 March 2025 here, 7 days before its 3 April), late or not."""
    from consultations.due_dates import due_items, items_for

    consultation = two_level_central(organisation_a)
    today = D(2025, 3, 29)
    kinds = [item.kind for item in due_items(Consultation.objects.all(), today=today)]
    assert "establishment_opinion" in kinds
    consultation.establishment_opinions_received_on = received
    consultation.full_clean()
    consultation.save()
    assert [item.kind for item in due_items(Consultation.objects.all(), today=today)] == [
        "deadline"
    ]
    loaded = Consultation.objects.with_clock_facts().get(pk=consultation.pk)
    assert [item.kind for item in items_for(loaded, today)] == ["deadline"]
    page = client_for(editor_a).get(reverse("consultations:consultation-detail", args=[loaded.pk]))
    assert page_says in page.content.decode().replace("\u00a0", " ")


def test_the_establishment_opinions_date_needs_the_central_side_after_the_information(
    organisation_a,
):
    from django.core.exceptions import ValidationError

    consultation = two_level_central(
        organisation_a, establishment_opinions_received_on=D(2025, 3, 1)
    )
    with pytest.raises(ValidationError) as caught:
        consultation.full_clean()
    assert (
        "précéder la remise des informations"
        in caught.value.message_dict["establishment_opinions_received_on"][0]
    )
    consultation.two_level = False
    with pytest.raises(ValidationError) as caught:
        consultation.full_clean()
    assert "deux niveaux" in caught.value.message_dict["establishment_opinions_received_on"][0]
    establishment = factories.BodyFactory(
        organisation=organisation_a, kind="cse_establishment", parent=consultation.body
    )
    consultation.two_level, consultation.body = True, establishment
    consultation.establishment_opinions_received_on = D(2025, 3, 20)
    with pytest.raises(ValidationError) as caught:
        consultation.full_clean()
    assert "CSE central" in caught.value.message_dict["establishment_opinions_received_on"][0]


def test_revoking_the_link_of_one_organisation_comes_back_to_it(
    member_of_a_and_b, organisation_a, organisation_b, editor_b
):
    """Revoked from the page of one organisation's link, the new link shown is that one's;
    an organisation that is not the user's is ignored (back to all of them)."""
    client = client_for(member_of_a_and_b)
    page = client.get(
        reverse("consultations:calendar-settings"), {"organisation": organisation_a.pk}
    )
    assert f'name="organisation" value="{organisation_a.pk}"' in page.content.decode()
    revoke = reverse("consultations:calendar-revoke")
    response = client.post(revoke, {"organisation": organisation_a.pk}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"?organisation={organisation_a.pk}")
    assert "Lien de votre agenda pour Organisation A" in response.content.decode()
    outsider = factories.OrganisationFactory()
    for value in (outsider.pk, "abc", ""):
        response = client_for(editor_b).post(revoke, {"organisation": value})
        assert response.url == reverse("consultations:calendar-settings")
