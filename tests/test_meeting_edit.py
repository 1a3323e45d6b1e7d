"""A meeting completed and corrected on the site (/meetings/<id>/edit/): the minutes go out days
after the meeting (L2315-34), and representatives who are not staff never open the admin (found
by a QA pass as a union representative). Its agenda and minutes are recorded once done: sent or
adopted after today is refused (Meeting.clean), on the site's forms and in the admin."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from icalendar import Calendar

from consultations.due_dates import due_items
from consultations.forms import MeetingLogForm
from consultations.models import CalendarToken, Consultation, Meeting, Membership, Motion, Vote

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db

D = datetime.date
AFTER_THE_MINUTES_WERE_DUE = datetime.datetime(2025, 4, 28, 12, 0)


@pytest.fixture
def representative(organisation_a):
    """An editor of organisation A who is not staff: the admin is closed to her."""
    user = factories.UserFactory(username="representative-a")
    factories.MembershipFactory(user=user, organisation=organisation_a, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def consultation(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a, name="CSE A", seats=9)
    return factories.ConsultationFactory(
        body=body, title="Analyse des appels", information_received_on=D(2025, 3, 3)
    )


@pytest.fixture
def meeting(consultation):
    """Held on 10 March 2025, its agenda sent on the 5th, its minutes not yet sent."""
    meeting = factories.MeetingFactory(
        body=consultation.body, held_on=D(2025, 3, 10), agenda_sent_on=D(2025, 3, 5)
    )
    meeting.consultations.add(consultation)
    return meeting


def edit_url(meeting, **query):
    url = reverse("consultations:meeting-edit", args=[meeting.pk])
    return f"{url}?{urlencode(query)}" if query else url


def page_url(consultation):
    return reverse("consultations:consultation-detail", args=[consultation.pk])


def form_data(page, **changes):
    """What the browser sends back from the page, untouched, with ``changes``."""
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    return data | changes


def minutes_steps(items, meeting):
    return [item for item in items if item.meeting_pk == meeting.pk and item.step == "minutes"]


# --- Meeting.clean: a step is recorded once done ---------------------------------------------


@pytest.mark.parametrize("field", Meeting.STEP_DATES)
def test_a_meeting_step_dated_after_today_is_refused(field):
    """An agenda « sent » or minutes « sent » next week would count as done: the workspace and
    the calendar would drop minutes still to send."""
    today = timezone.localdate()
    # An agenda is sent before its meeting, the minutes after it.
    held_on = today + datetime.timedelta(days=5 if field == "agenda_sent_on" else -2)
    steps = {"agenda_sent_on": None, field: today + datetime.timedelta(days=1)}
    meeting = factories.MeetingFactory.build(body=factories.BodyFactory(), held_on=held_on, **steps)
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    errors = caught.value.message_dict
    assert list(errors) == [field]
    assert "à venir" in errors[field][0]
    setattr(meeting, field, today)
    meeting.full_clean()  # today is fine


def test_a_meeting_to_come_may_have_its_agenda_sent_already():
    today = timezone.localdate()
    meeting = factories.MeetingFactory.build(
        body=factories.BodyFactory(),
        held_on=today + datetime.timedelta(days=10),
        agenda_sent_on=today,
    )
    meeting.full_clean()


def test_a_future_step_saved_before_the_rule_stays_editable_until_changed():
    today = timezone.localdate()
    meeting = factories.MeetingFactory(body=factories.BodyFactory(), held_on=today)
    later = today + datetime.timedelta(days=5)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_sent_on=later)
    meeting.refresh_from_db()
    meeting.place = "Salle B"
    meeting.full_clean()  # the old date left as it is
    meeting.minutes_sent_on = later + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert list(caught.value.message_dict) == ["minutes_sent_on"]


def test_the_meeting_log_refuses_minutes_sent_after_today_beside_the_field(consultation):
    today = timezone.localdate()
    form = MeetingLogForm(
        {
            "body": consultation.body_id,
            "held_on": today.isoformat(),
            "kind": "ordinary",
            "minutes_sent_on": (today + datetime.timedelta(days=3)).isoformat(),
        },
        consultation=consultation,
    )
    assert not form.is_valid()
    assert "à venir" in form.errors["minutes_sent_on"][0]


def test_the_admin_refuses_minutes_sent_after_today(meeting, superuser):
    url = reverse("admin:consultations_meeting_change", args=[meeting.pk])
    client = client_for(superuser)
    page = client.get(url)
    data = {
        "body": meeting.body_id,
        "held_on": "2025-03-10",
        "kind": "ordinary",
        "agenda_sent_on": "2025-03-05",
        "minutes_sent_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        "consultations": [meeting.consultations.get().pk],
    }
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "à venir" in response.context["adminform"].form.errors["minutes_sent_on"][0]


# --- The page -------------------------------------------------------------------------------


def test_a_representative_records_the_minutes_sent_and_returns_to_the_consultation(
    consultation, meeting, representative
):
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Modifier la réunion" in content
    assert "Réunion du 10 mars 2025" in content
    assert "Transmission du procès-verbal" in content and "L2315-34" in content
    data = form_data(
        page,
        minutes_sent_on="2025-03-20",
        minutes_adopted_on="2025-04-07",
        agenda="1. Information-consultation sur l'analyse des appels.",
    )
    response = client.post(edit_url(meeting), data)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == page_url(consultation) + f"#meeting-{meeting.pk}"
    meeting.refresh_from_db()
    assert meeting.minutes_sent_on == D(2025, 3, 20)
    assert meeting.minutes_adopted_on == D(2025, 4, 7)
    assert meeting.agenda == "1. Information-consultation sur l'analyse des appels."
    assert meeting.history.latest().history_user == representative
    followed = client.get(response["Location"])
    assert [str(m) for m in followed.context["messages"]] == [
        "La réunion du 10 mars 2025 est enregistrée."
    ]


def test_the_models_rules_are_said_beside_their_fields_with_the_input_kept(meeting, representative):
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        edit_url(meeting),
        form_data(
            page,
            agenda_sent_on="2025-03-12",
            minutes_sent_on=tomorrow.isoformat(),
            place="Salle du conseil",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["agenda_sent_on"] == ["L'ordre du jour ne peut pas être envoyé après la réunion."]
    assert "à venir" in errors["minutes_sent_on"][0]
    content = response.content.decode()
    assert 'id="error-summary"' in content and 'href="#id_minutes_sent_on"' in content
    assert 'value="Salle du conseil"' in content  # nothing typed is lost
    meeting.refresh_from_db()
    assert meeting.agenda_sent_on == D(2025, 3, 5) and meeting.minutes_sent_on is None


def test_a_save_over_one_made_meanwhile_is_refused_with_the_changes(meeting, representative):
    client = client_for(representative)
    stale = client.get(edit_url(meeting))
    other = client_for(representative).get(edit_url(meeting))
    saved = client.post(edit_url(meeting), form_data(other, minutes_sent_on="2025-03-20"))
    assert saved.status_code == 302

    refused = client.post(edit_url(meeting), form_data(stale, place="Salle B"))

    assert refused.status_code == 200
    content = refused.content.decode()
    assert "pendant que vous la modifiiez" in content
    assert "20 mars 2025" in content  # what the other save changed
    form = refused.context["form"]
    assert form["minutes_sent_on"].value() == "2025-03-20"  # left alone: takes the new value
    assert form["place"].value() == "Salle B"  # typed: kept
    again = client.post(edit_url(meeting), form_data(refused))
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_sent_on == D(2025, 3, 20) and meeting.place == "Salle B"


def test_it_returns_to_the_page_that_led_there_if_it_is_this_sites(
    consultation, meeting, representative
):
    client = client_for(representative)
    workspace = reverse("consultations:workspace") + "?organisation=1"
    page = client.get(edit_url(meeting, next=workspace))
    assert f'href="{workspace.replace("&", "&amp;")}">Annuler' in page.content.decode()
    response = client.post(edit_url(meeting, next=workspace), form_data(page))
    assert response["Location"] == workspace


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\r\nSet-Cookie: a=b"],
)
def test_a_return_page_of_another_site_is_ignored(consultation, meeting, representative, target):
    client = client_for(representative)
    page = client.get(edit_url(meeting, next=target))
    assert page.status_code == 200
    response = client.post(edit_url(meeting, next=target), form_data(page))
    assert response.status_code == 302
    assert response["Location"] == page_url(consultation) + f"#meeting-{meeting.pk}"


def test_a_meeting_of_several_consultations_returns_to_the_first(
    consultation, meeting, representative
):
    second = factories.ConsultationFactory(body=consultation.body, title="Badgeuse")
    meeting.consultations.add(second)
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    content = page.content.decode()
    assert "Consultations concernées" in content
    assert "Analyse des appels" in content and "Badgeuse" in content
    response = client.post(edit_url(meeting), form_data(page))
    assert response["Location"] == page_url(consultation) + f"#meeting-{meeting.pk}"


def test_a_meeting_no_consultation_lists_returns_to_the_workspace(organisation_a, representative):
    meeting = factories.MeetingFactory(body=factories.BodyFactory(organisation=organisation_a))
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    response = client.post(edit_url(meeting), form_data(page))
    assert response["Location"] == reverse("consultations:workspace")


def test_the_page_says_where_the_votes_are_corrected(
    consultation, meeting, representative, editor_a
):
    factories.VoteFactory(meeting=meeting, consultation=consultation)
    admin_page = reverse("admin:consultations_meeting_change", args=[meeting.pk])
    staff = client_for(editor_a).get(edit_url(meeting)).content.decode()
    assert "Le vote de cette réunion ne se modifie pas ici" in staff
    assert f'href="{admin_page}"' in staff
    other = client_for(representative).get(edit_url(meeting)).content.decode()
    assert "Demandez à l'administrateur de Vigie de le corriger" in other
    assert admin_page not in other


def test_a_cssct_meeting_has_no_legal_steps_to_show(organisation_a, representative):
    from consultations.models import Body

    cssct = factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSSCT)
    meeting = factories.MeetingFactory(body=cssct)
    content = client_for(representative).get(edit_url(meeting)).content.decode()
    assert "L2315-41" in content and "Transmission du procès-verbal" not in content


# --- A date corrected ---------------------------------------------------------------------------


def test_a_corrected_date_carries_the_motions_adopted_there(consultation, meeting, representative):
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
    motion = factories.MotionFactory(consultation=consultation, adopting_vote=vote, adopted_on=None)
    assert motion.adopted_on == D(2025, 3, 10)
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    assert "Ses votes, et les motions qu'ils adoptent, prennent la date corrigée" in (
        page.content.decode()
    )
    response = client.post(edit_url(meeting), form_data(page, held_on="2025-03-11"))
    assert response.status_code == 302, response.context["form"].errors
    motion.refresh_from_db()
    assert motion.adopted_on == D(2025, 3, 11)
    assert motion.reference == "2025-01"  # the same year: the same number
    motion.full_clean()


def test_a_meeting_moved_after_today_with_its_votes_is_refused(
    consultation, meeting, representative
):
    factories.VoteFactory(meeting=meeting, consultation=consultation)
    later = timezone.localdate() + datetime.timedelta(days=7)
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    response = client.post(
        edit_url(meeting), form_data(page, held_on=later.isoformat(), agenda_sent_on="")
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["held_on"]
    assert "est à venir\u00a0: ses votes se consignent une fois qu'elle s'est tenue" in message
    meeting.refresh_from_db()
    assert meeting.held_on == D(2025, 3, 10)


def test_a_meeting_moved_before_the_information_of_its_opinion_vote_is_refused(
    consultation, meeting, representative
):
    factories.VoteFactory(meeting=meeting, consultation=consultation, subject="opinion")
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    response = client.post(
        edit_url(meeting), form_data(page, held_on="2025-03-01", agenda_sent_on="")
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["held_on"]
    assert "Un avis se vote une fois les informations remises" in message


def test_a_vote_already_at_odds_with_the_date_does_not_block_other_changes(
    consultation, meeting, representative
):
    """A vote recorded before a rule may break it: the page still saves the minutes."""
    factories.VoteFactory(meeting=meeting, consultation=consultation, subject="opinion")
    Consultation.objects.filter(pk=consultation.pk).update(information_received_on=D(2025, 3, 12))
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    response = client.post(edit_url(meeting), form_data(page, minutes_sent_on="2025-03-20"))
    assert response.status_code == 302


def test_a_corrected_date_names_the_dates_that_did_not_follow(
    consultation, meeting, representative
):
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation, subject="opinion")
    Consultation.objects.filter(pk=consultation.pk).update(
        opinion=Consultation.Opinion.UNFAVOURABLE, opinion_on=D(2025, 3, 10)
    )
    expert_vote = factories.VoteFactory(
        meeting=meeting, consultation=consultation, subject="appoint_expert"
    )
    factories.ExpertiseFactory(
        consultation=consultation, appointing_vote=expert_vote, designated_on=D(2025, 3, 10)
    )
    assert vote.adopted
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    response = client.post(edit_url(meeting), form_data(page, held_on="2025-03-11"), follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert shown[1] == (
        "La date de l'avis de «\u00a0Analyse des appels\u00a0» et la date de désignation de "
        "l'expert de «\u00a0Analyse des appels\u00a0» restent fixées au 10 mars 2025, "
        "l'ancienne date de la réunion\u00a0: corrigez-les si besoin."
    )


# --- The computed dates follow ------------------------------------------------------------------


def test_the_minutes_recorded_leave_the_workspace_and_the_calendar(
    consultation, meeting, representative
):
    url = reverse("consultations:workspace")
    feed = reverse(
        "consultations:calendar-feed", args=[CalendarToken.for_user(representative).token]
    )
    client = client_for(representative)
    with time_machine.travel(AFTER_THE_MINUTES_WERE_DUE, tick=False):
        before = client.get(url)
        late = [row for row in before.context["late_steps"] if row[0].meeting_pk == meeting.pk]
        assert [row[0].label for row in late] == [
            "Transmission du procès-verbal de la réunion du 10 mars 2025"
        ]
        assert late[0][3] == edit_url(meeting, next=url)
        events = Calendar.from_ical(client.get(feed).content).walk("VEVENT")
        assert any("procès-verbal" in str(event["summary"]) for event in events)

        page = client.get(late[0][3])
        response = client.post(late[0][3], form_data(page, minutes_sent_on="2025-03-20"))
        assert response["Location"] == url

        after = client.get(url)
        assert not [row for row in after.context["late_steps"] if row[0].meeting_pk == meeting.pk]
        assert not minutes_steps(due_items(Consultation.objects.all()), meeting)
        events = Calendar.from_ical(client.get(feed).content).walk("VEVENT")
        assert not any("procès-verbal" in str(event["summary"]) for event in events)


def test_the_minutes_to_send_in_the_weeks_to_come_link_to_the_meeting(
    consultation, meeting, representative, reader_a
):
    url = reverse("consultations:workspace")
    with time_machine.travel(datetime.datetime(2025, 3, 12, 12, 0), tick=False):
        editor_page = client_for(representative).get(url).content.decode()
        reader_page = client_for(reader_a).get(url).content.decode()
    link = edit_url(meeting, next=url).replace("&", "&amp;")
    assert f'href="{link}">consigner l&#x27;envoi' in editor_page
    assert edit_url(meeting) not in reader_page


def test_the_consultation_page_lists_its_meetings_with_their_steps(
    consultation, meeting, representative, reader_a, client
):
    consultation.visibility = Consultation.Visibility.PUBLIC
    consultation.save()
    url = page_url(consultation)
    with time_machine.travel(AFTER_THE_MINUTES_WERE_DUE, tick=False):
        editor_page = client_for(representative).get(url).content.decode()
        reader_page = client_for(reader_a).get(url).content.decode()
        public_page = client.get(url).content.decode()
    item = editor_page.split(f'id="meeting-{meeting.pk}"', 1)[1].split("</ul>", 1)[0]
    assert "10 mars 2025 — CSE A" in item
    assert "Envoi de l&#x27;ordre du jour\u00a0: fait le 5 mars 2025" in item
    assert "Transmission du procès-verbal\u00a0:" in item and "En retard" in item
    edit = f"{edit_url(meeting)}?next={url}%23meeting-{meeting.pk}"
    assert f'href="{edit}">Modifier la réunion' in editor_page
    assert f'id="meeting-{meeting.pk}"' in reader_page and edit_url(meeting) not in reader_page
    assert 'id="meetings"' not in public_page


def test_a_meeting_of_another_organisation_on_the_agenda_is_not_listed(
    consultation, meeting, organisation_b, reader_a
):
    other = factories.MeetingFactory(body=factories.BodyFactory(organisation=organisation_b))
    other.consultations.add(consultation)
    page = client_for(reader_a).get(page_url(consultation)).content.decode()
    assert f'id="meeting-{meeting.pk}"' in page and f'id="meeting-{other.pk}"' not in page


def test_the_page_reads_in_english(meeting, representative, settings):
    client = client_for(representative)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(edit_url(meeting)).content.decode()
    assert "Edit the meeting" in content and "Minutes sent on" in content
    assert "Modifier la réunion" not in content


def test_motion_numbers_follow_the_year(consultation, representative):
    """A date corrected into another year takes the motion into that year's register."""
    meeting = factories.MeetingFactory(
        body=consultation.body, held_on=D(2025, 1, 2), agenda_sent_on=None
    )
    meeting.consultations.add(consultation)
    Consultation.objects.filter(pk=consultation.pk).update(information_received_on=None)
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
    motion = factories.MotionFactory(consultation=consultation, adopting_vote=vote, adopted_on=None)
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    response = client.post(edit_url(meeting), form_data(page, held_on="2024-12-30"))
    assert response.status_code == 302, response.context["form"].errors
    motion = Motion.objects.get(pk=motion.pk)
    assert (motion.adopted_on, motion.reference) == (D(2024, 12, 30), "2024-01")


# --- The consultations on the agenda ----------------------------------------------------------
#
# A meeting held on two projects listed only the one it was logged from: its agenda changed in
# the admin alone, closed to the representatives who are not staff.


@pytest.fixture
def badgeuse(consultation):
    """A second consultation of the same council, informed later."""
    return factories.ConsultationFactory(
        body=consultation.body, title="Badgeuse biométrique", information_received_on=D(2025, 3, 7)
    )


def agenda_choices(page, form="form"):
    """(value, label as text) of each box offered, in the page's order, and the ticked ones."""
    field = page.context[form]["consultations"]
    boxes = [(str(box.data["value"]), strip_tags(box.choice_label)) for box in field]
    return boxes, [str(value) for value in field.value()]


def strip_tags(html):
    from django.utils.html import strip_tags as strip

    return " ".join(strip(str(html)).split())


def test_an_editor_puts_a_second_consultation_on_the_agenda(
    consultation, meeting, badgeuse, representative
):
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    boxes, ticked = agenda_choices(page)
    assert boxes == [
        (str(badgeuse.pk), "Badgeuse biométrique Informations reçues le 7 mars 2025 (T0)"),
        (str(consultation.pk), "Analyse des appels Informations reçues le 3 mars 2025 (T0)"),
    ]
    assert ticked == [str(consultation.pk)]
    content = page.content.decode()
    assert "Consultations à l&#x27;ordre du jour" in content
    assert 'id="id_consultations_0">' in content and 'id="id_consultations_1" checked>' in content
    assert "Un vote sur une consultation qui n'y figure pas peut être annulé (L2315-29)" in (
        content
    )
    rows_before = meeting.history.count()

    response = client.post(
        edit_url(meeting), form_data(page, consultations=[consultation.pk, badgeuse.pk])
    )

    assert response.status_code == 302, response.context["form"].errors
    assert set(meeting.consultations.all()) == {consultation, badgeuse}
    # Its page now lists the meeting, which the editor corrects from there too.
    listed = client.get(page_url(badgeuse)).content.decode()
    assert f'id="meeting-{meeting.pk}"' in listed
    # One history row for the save, by its author, naming the agenda as it was left.
    assert meeting.history.count() == rows_before + 1
    row = meeting.history.latest()
    assert row.history_user == representative
    assert {link.consultation_id for link in row.consultations.all()} == {
        consultation.pk,
        badgeuse.pk,
    }
    [change] = row.diff_against(row.prev_record).changes
    assert change.field == "consultations"


def test_a_consultation_taken_off_the_agenda_leaves_it(
    consultation, meeting, badgeuse, representative
):
    meeting.consultations.add(badgeuse)
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    response = client.post(edit_url(meeting), form_data(page, consultations=[badgeuse.pk]))
    assert response.status_code == 302
    assert list(meeting.consultations.all()) == [badgeuse]
    # Back to the page that listed it: it still shows the meeting, as the admin's change did.
    assert response["Location"] == page_url(consultation) + f"#meeting-{meeting.pk}"
    assert f'id="meeting-{meeting.pk}"' not in client.get(page_url(consultation)).content.decode()


def test_the_choices_are_the_organisations_consultations_in_a_stable_order(
    organisation_a, organisation_b, consultation, meeting, badgeuse, representative
):
    """Every consultation of the organisation, whichever of its councils is consulted (as the
    admin's rule allows), the latest informed first, then those not yet informed, by title;
    never another organisation's."""
    central = factories.BodyFactory(
        organisation=organisation_a, kind="cse_central", name="CSE central"
    )
    factories.ConsultationFactory(
        body=central, title="Agenda partagé", information_received_on=D(2025, 3, 7)
    )
    factories.ConsultationFactory(
        body=consultation.body, title="Assistant RH", information_received_on=None
    )
    factories.ConsultationFactory(
        body__organisation=organisation_b, title="Projet de l'autre société"
    )
    page = client_for(representative).get(edit_url(meeting))
    boxes, _ticked = agenda_choices(page)
    assert [label for _value, label in boxes] == [
        "Agenda partagé Informations reçues le 7 mars 2025 (T0) · CSE central",
        "Badgeuse biométrique Informations reçues le 7 mars 2025 (T0)",
        "Analyse des appels Informations reçues le 3 mars 2025 (T0)",
        "Assistant RH Informations pas encore reçues (T0)",
    ]
    assert "autre société" not in page.content.decode()
    assert agenda_choices(client_for(representative).get(edit_url(meeting)))[0] == boxes


@pytest.mark.parametrize(
    "posted",
    ["other", "99999999999999999999", "abc", "-1", ""],
    ids=["another organisation's", "beyond the integers", "not a number", "negative", "empty"],
)
def test_a_consultation_not_offered_is_refused_beside_the_field(
    organisation_b, consultation, meeting, badgeuse, representative, posted
):
    """A tampered form: refused beside the field, the agenda unchanged, never a 500, and the
    other organisation's consultation not named."""
    other = factories.ConsultationFactory(
        body__organisation=organisation_b, title="Projet de l'autre société"
    )
    value = other.pk if posted == "other" else posted
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    response = client.post(
        edit_url(meeting),
        form_data(page, consultations=[badgeuse.pk, value], place="Salle B"),
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["consultations"]
    assert error == (
        "Cette consultation ne peut pas figurer à l'ordre du jour de cette réunion\u00a0: "
        "choisissez parmi celles de la liste."
    )
    content = response.content.decode()
    assert "autre société" not in content
    assert 'href="#id_consultations_0"' in content  # the summary leads to the boxes
    assert 'value="Salle B"' in content
    assert list(meeting.consultations.all()) == [consultation]


def test_only_the_consultation_on_the_agenda_says_so_in_the_fields_place(
    consultation, meeting, representative
):
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    content = page.content.decode()
    assert "consultations" not in page.context["form"].fields
    assert 'name="consultations"' not in content
    assert (
        "La seule consultation de l&#x27;organisation, «\u00a0Analyse des appels\u00a0», figure "
        "déjà à l&#x27;ordre du jour\u00a0: pour en inscrire une autre, ouvrez-la d&#x27;abord, "
        "puis revenez ici."
    ) in content
    assert f'href="{reverse("consultations:consultation-create")}">Ouvrir une consultation' in (
        content
    )
    # Saving the page leaves the agenda as it is, whatever is posted for it.
    response = client.post(edit_url(meeting), form_data(page, consultations=[]))
    assert response.status_code == 302
    assert list(meeting.consultations.all()) == [consultation]


def test_an_organisation_without_consultation_says_so(organisation_a, representative):
    meeting = factories.MeetingFactory(body=factories.BodyFactory(organisation=organisation_a))
    content = client_for(representative).get(edit_url(meeting)).content.decode()
    assert "L&#x27;organisation n&#x27;a encore aucune consultation enregistrée" in content


def test_a_single_consultation_off_the_agenda_is_offered(consultation, representative):
    """A meeting whose agenda the admin left empty: its one consultation is there to tick."""
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 10))
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    assert agenda_choices(page) == (
        [(str(consultation.pk), "Analyse des appels Informations reçues le 3 mars 2025 (T0)")],
        [],
    )
    client.post(edit_url(meeting), form_data(page, consultations=[consultation.pk]))
    assert list(meeting.consultations.all()) == [consultation]


def test_taking_off_a_consultation_voted_there_warns_and_keeps_the_vote(
    consultation, meeting, badgeuse, representative
):
    """A vote off its meeting's agenda may be annulled, or be directly linked to an item on it,
    which only the representatives can tell (VoteQuerySet.off_agenda): saved, and warned of by
    name, as the admin does."""
    meeting.consultations.add(badgeuse)
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation, subject="opinion")
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    boxes, _ticked = agenda_choices(page)
    assert boxes[1][1] == (
        "Analyse des appels Informations reçues le 3 mars 2025 (T0) · 1 vote à cette réunion"
    )

    response = client.post(
        edit_url(meeting), form_data(page, consultations=[badgeuse.pk]), follow=True
    )

    assert list(meeting.consultations.all()) == [badgeuse]
    assert Vote.objects.filter(pk=vote.pk).exists()
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert shown == [
        ("success", "La réunion du 10 mars 2025 est enregistrée."),
        (
            "warning",
            "Le vote du 10 mars 2025 (Avis) porte sur la consultation «\u00a0Analyse des "
            "appels\u00a0», qui ne figure pas à l'ordre du jour de la réunion. Une délibération "
            "doit porter sur un point inscrit à l'ordre du jour ou s'y rattacher directement "
            "(L2315-29)\u00a0: ajoutez la consultation à l'ordre du jour de la réunion si elle "
            "y figurait.",
        ),
    ]
    # The consultation's page warns too, and leads back here to mend it.
    detail = response.content.decode()
    assert f'id="off-agenda-{vote.pk}"' in detail
    assert f"{edit_url(meeting)}?next=" in detail


def test_an_agenda_changed_meanwhile_is_caught_and_kept(
    consultation, meeting, badgeuse, representative
):
    client = client_for(representative)
    stale = client.get(edit_url(meeting))
    other = client_for(representative).get(edit_url(meeting))
    saved = client.post(
        edit_url(meeting), form_data(other, consultations=[consultation.pk, badgeuse.pk])
    )
    assert saved.status_code == 302

    refused = client.post(edit_url(meeting), form_data(stale, place="Salle B"))

    assert refused.status_code == 200
    content = refused.content.decode()
    assert "pendant que vous la modifiiez" in content
    assert (
        "Consultations à l&#x27;ordre du jour\u00a0: «\u00a0Analyse des appels\u00a0» → "
        "«\u00a0Analyse des appels, Badgeuse biométrique\u00a0»"
    ) in content
    form = refused.context["form"]
    assert sorted(form["consultations"].value()) == sorted(
        [str(consultation.pk), str(badgeuse.pk)]
    )  # left alone: takes the other's agenda
    again = client.post(edit_url(meeting), form_data(refused))
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Salle B"
    assert set(meeting.consultations.all()) == {consultation, badgeuse}


def test_an_agenda_changed_by_both_keeps_this_users_choice(
    consultation, meeting, badgeuse, representative
):
    client = client_for(representative)
    stale = client.get(edit_url(meeting))
    other = client_for(representative).get(edit_url(meeting))
    client.post(edit_url(meeting), form_data(other, consultations=[consultation.pk, badgeuse.pk]))
    refused = client.post(edit_url(meeting), form_data(stale, consultations=[badgeuse.pk]))
    assert refused.status_code == 200
    assert refused.context["form"]["consultations"].value() == [str(badgeuse.pk)]


def test_the_latest_changes_show_the_agenda_changed_once(
    consultation, meeting, badgeuse, representative
):
    client = client_for(representative)
    page = client.get(edit_url(meeting))
    client.post(edit_url(meeting), form_data(page, consultations=[consultation.pk, badgeuse.pk]))
    workspace = client.get(reverse("consultations:workspace"))
    mine = [
        (row.history_type, label)
        for row, label, _link in workspace.context["changes"]
        if row.history_user == representative
    ]
    assert mine == [("~", "Réunion (10/03/2025)")]


@pytest.mark.parametrize("who", ["reader", "other editor", "anonymous"])
def test_only_an_editor_of_the_organisation_changes_the_agenda(
    consultation, meeting, badgeuse, reader_a, editor_b, who
):
    user = {"reader": reader_a, "other editor": editor_b, "anonymous": None}[who]
    client = client_for(user)
    data = {
        "held_on": "2025-03-10",
        "kind": "ordinary",
        "consultations": [consultation.pk, badgeuse.pk],
    }
    for response in (client.get(edit_url(meeting)), client.post(edit_url(meeting), data)):
        if user is None:
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == (403 if who == "reader" else 404)
        assert "Badgeuse" not in response.content.decode()
    assert list(meeting.consultations.all()) == [consultation]


def test_the_page_asks_as_many_queries_for_many_consultations(
    consultation, meeting, representative
):
    """Each box's label (T0, council, votes here) is read with the choices: no query per
    consultation."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(representative)

    def queries():
        client.get(edit_url(meeting))  # the caches warm
        with CaptureQueriesContext(connection) as captured:
            page = client.get(edit_url(meeting))
        return len(captured), len(agenda_choices(page)[0])

    factories.ConsultationFactory(body=consultation.body)
    few = queries()
    central = factories.BodyFactory(organisation=consultation.body.organisation)
    for _index in range(6):
        voted = factories.ConsultationFactory(body=central)
        factories.VoteFactory(meeting=meeting, consultation=voted)
    assert few[1] == 2
    many = queries()
    assert many == (few[0], 8)


def test_the_agenda_reads_in_english(consultation, meeting, badgeuse, representative, settings):
    client = client_for(representative)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(edit_url(meeting))
    content = page.content.decode()
    assert "Consultations on the agenda" in content
    assert "Information received on 7 March 2025 (T0)" in content
    assert "Consultations à l" not in content


def test_a_title_is_shown_as_typed_never_as_html(consultation, meeting, representative):
    factories.ConsultationFactory(body=consultation.body, title="<b>Badgeuse</b> & co")
    content = client_for(representative).get(edit_url(meeting)).content.decode()
    assert "&lt;b&gt;Badgeuse&lt;/b&gt; &amp; co" in content and "<b>Badgeuse" not in content


# --- The agenda of a meeting being logged -----------------------------------------------------
#
# The page that logs a meeting from a consultation put that one alone on its agenda: a meeting
# held on two projects was then corrected on its edit page. It offers the same boxes.


def log_url(consultation):
    return reverse("consultations:meeting-log", args=[consultation.pk])


def log_agenda_choices(page):
    """agenda_choices() of the meeting log's form."""
    return agenda_choices(page, form="meeting_form")


def log_data(consultation, **changes):
    from .test_editing import meeting_data

    return meeting_data(consultation.body, forms=1, **changes)


def test_logging_a_meeting_puts_the_consultations_ticked_on_its_agenda(
    organisation_b, consultation, badgeuse, representative
):
    factories.ConsultationFactory(
        body__organisation=organisation_b, title="Projet de l'autre société"
    )
    client = client_for(representative)
    page = client.get(log_url(consultation))
    assert log_agenda_choices(page) == (
        [
            (str(badgeuse.pk), "Badgeuse biométrique Informations reçues le 7 mars 2025 (T0)"),
            (str(consultation.pk), "Analyse des appels Informations reçues le 3 mars 2025 (T0)"),
        ],
        [str(consultation.pk)],  # the one it is logged from, ticked
    )
    content = page.content.decode()
    assert "autre société" not in content
    assert 'id="id_consultations_1" checked>' in content
    assert content.index('name="agenda_sent_on"') < content.index('name="consultations"')
    assert content.index('name="consultations"') < content.index('name="minutes_sent_on"')

    response = client.post(
        log_url(consultation), log_data(consultation, consultations=[consultation.pk, badgeuse.pk])
    )

    assert response.status_code == 302, response.context["meeting_form"].errors
    meeting = Meeting.objects.get()
    assert set(meeting.consultations.all()) == {consultation, badgeuse}
    listed = client.get(page_url(badgeuse)).content.decode()
    assert f'id="meeting-{meeting.pk}"' in listed


@pytest.mark.parametrize("ticked", ["others only", "none", "not sent"])
def test_the_consultation_a_meeting_is_logged_from_stays_on_its_agenda(
    consultation, badgeuse, representative, ticked
):
    """Its votes are recorded on the page: the field's help says so."""
    posted = {"others only": [badgeuse.pk], "none": [], "not sent": None}[ticked]
    data = log_data(consultation)
    if posted is not None:
        data["consultations"] = posted
    client = client_for(representative)
    assert "Celle dont vous consignez la réunion y figure dans tous les cas" in (
        client.get(log_url(consultation)).content.decode()
    )
    assert client.post(log_url(consultation), data).status_code == 302
    expected = {consultation, badgeuse} if ticked == "others only" else {consultation}
    assert set(Meeting.objects.get().consultations.all()) == expected


@pytest.mark.parametrize(
    "posted",
    ["other", "99999999999999999999", "abc", "-1", ""],
    ids=["another organisation's", "beyond the integers", "not a number", "negative", "empty"],
)
def test_the_meeting_log_refuses_a_consultation_not_offered_beside_the_field(
    organisation_b, consultation, badgeuse, representative, posted
):
    other = factories.ConsultationFactory(
        body__organisation=organisation_b, title="Projet de l'autre société"
    )
    value = other.pk if posted == "other" else posted
    response = client_for(representative).post(
        log_url(consultation),
        log_data(consultation, consultations=[badgeuse.pk, value], place="Salle B"),
    )
    assert response.status_code == 200
    [error] = response.context["meeting_form"].errors["consultations"]
    assert error == (
        "Cette consultation ne peut pas figurer à l'ordre du jour de cette réunion\u00a0: "
        "choisissez parmi celles de la liste."
    )
    content = response.content.decode()
    assert "autre société" not in content
    assert 'href="#id_consultations_0"' in content  # the summary leads to the boxes
    assert 'value="Salle B"' in content
    assert not Meeting.objects.exists()


def test_the_organisations_only_consultation_says_so_on_the_meeting_log(
    consultation, representative
):
    client = client_for(representative)
    page = client.get(log_url(consultation))
    content = page.content.decode()
    assert "consultations" not in page.context["meeting_form"].fields
    assert 'name="consultations"' not in content
    assert "La seule consultation de l&#x27;organisation, «\u00a0Analyse des appels\u00a0»" in (
        content
    )
    assert client.post(log_url(consultation), log_data(consultation)).status_code == 302
    assert list(Meeting.objects.get().consultations.all()) == [consultation]


def test_the_meeting_log_asks_as_many_queries_for_many_consultations(
    consultation, badgeuse, representative
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(representative)

    def queries():
        client.get(log_url(consultation))  # the caches warm
        with CaptureQueriesContext(connection) as captured:
            page = client.get(log_url(consultation))
        return len(captured), len(log_agenda_choices(page)[0])

    few = queries()
    central = factories.BodyFactory(organisation=consultation.body.organisation)
    for _index in range(6):
        factories.ConsultationFactory(body=central)
    assert few[1] == 2
    assert queries() == (few[0], 8)
