"""The workspace's fast paths give what the plain definitions give (issue 8, bench/pages.py).

- due_items() loads only the consultations and meetings that can have a date due in the window
  asked for: its items must be those of items_for() over every consultation, kept by date;
- ConsultationQuerySet.in_clock_state() filters on conditions written out from with_clock_state()'s
  CASE: the same consultations as filtering on the annotation;
- the list's search looks up motions in a subquery: each consultation once;
- the workspace and the list keep a fixed number of queries.
"""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.due_dates import (
    consultation_queryset,
    due_items,
    items_for,
    meeting_items,
    withdrawn_minutes_step,
)
from consultations.models import Body, Clock, Consultation, Membership
from consultations.views.workspace import LATE_STEP_KINDS, UPCOMING_DAYS

from . import factories
from .conftest import client_for

D = datetime.date
DAY = datetime.timedelta(days=1)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def reference(consultations, today, start=None, end=None):
    """due_items() as it was: every step of every consultation, then kept by date."""
    items = [
        item
        for consultation in consultation_queryset(consultations)
        for item in items_for(consultation, today)
        if (start is None or item.on >= start) and (end is None or item.on <= end)
    ]
    return sorted(items, key=lambda item: (item.on, item.uid))


def withdrawn_reference(listed, withdrawn, today, start=None, end=None):
    """due_items(listed, withdrawn=withdrawn)'s items beyond reference(listed): the minutes not
    sent of each meeting held that has a withdrawn project on its agenda and none of ``listed``
    (L2315-34), kept by date."""
    listed_pks = set(listed.values_list("pk", flat=True))
    items = []
    for consultation in consultation_queryset(withdrawn):
        if consultation.pk in listed_pks:
            continue
        for meeting in consultation.meetings.all():
            on_agenda = set(meeting.consultations.values_list("pk", flat=True))
            if meeting.held_on > today or on_agenda & listed_pks:
                continue
            steps = [
                withdrawn_minutes_step(step, meeting)
                for step in meeting.steps(on=today, naming_meeting=True)
                if step.key == "minutes"
            ]
            items += meeting_items(consultation, steps, meeting.pk, today)
    return [
        item
        for item in items
        if (start is None or item.on >= start) and (end is None or item.on <= end)
    ]


def described(items):
    return [
        (
            item.uid,
            item.kind,
            item.on,
            item.label,
            item.explanation,
            item.consultation.pk,
            item.state,
        )
        for item in items
    ]


def windows(today):
    """The calendar feed's (none), the reminders' (from today) and the workspace's (up to a date,
    late steps included), and one starting in the past."""
    return [
        (None, None),
        (today, today + 14 * DAY),
        (None, today + UPCOMING_DAYS * DAY),
        (None, today),
        (today - 30 * DAY, today + 30 * DAY),
    ]


def assert_same_items(consultations, today):
    compared = 0
    for start, end in windows(today):
        expected = described(reference(consultations, today, start, end))
        assert described(due_items(consultations, today=today, start=start, end=end)) == expected
        assert (
            described(due_items(consultations, today=today, start=start, end=end, shown_with=()))
            == expected
        )
        compared += len(expected)
    return compared


def assert_same_items_with_withdrawn(consultations, withdrawn, today):
    """As assert_same_items(), with the minutes of the withdrawn projects' meetings; how many
    of those were compared."""
    compared = 0
    for start, end in windows(today):
        beyond = withdrawn_reference(consultations, withdrawn, today, start, end)
        both = reference(consultations, today, start, end) + beyond
        expected = described(sorted(both, key=lambda item: (item.on, item.uid)))
        got = due_items(consultations, today=today, start=start, end=end, withdrawn=withdrawn)
        assert described(got) == expected
        compared += len(beyond)
    return compared


def test_due_items_agree_with_the_definition_on_generated_data():
    call_command("generate_load_data", scale=0.05, force=True, stdout=StringIO())
    editor = get_user_model().objects.get(username="bench-editor")
    base = timezone.localdate()
    compared = 0
    for days in (-400, -90, -20, -3, 0, 1, 9, 30, 75, 200):
        today = base + days * DAY
        visible = Consultation.objects.visible_to(editor)
        compared += assert_same_items(visible, today)
        compared += assert_same_items(visible.current(today), today)
        assert_same_items_with_withdrawn(visible.current(today), visible.withdrawn(), today)
    assert compared > 1000


@pytest.fixture
def edge_cases(organisation_a):
    """Records whose dates fall at the edges of the windows: establishment opinions 7 days before
    the deadline, a central CSE's agenda 8 days before its meeting, minutes due on the day of a
    meeting held the day before the next one, an answer received or not (or before the opinion), an expertise with or without a T0, a clock stop,
    a meeting on two consultations' agendas, steps met."""
    central = factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSE_CENTRAL)
    cse = factories.BodyFactory(organisation=organisation_a)

    def consultation(body, **fields):
        return factories.ConsultationFactory(
            body=body, deployment__organisation=organisation_a, **fields
        )

    two_level = consultation(central, two_level=True, information_received_on=D(2025, 3, 3))
    factories.ExpertiseFactory(
        consultation=two_level,
        designated_on=D(2025, 3, 14),
        information_requested_on=D(2025, 3, 17),
        cost_notified_on=D(2025, 3, 20),
    )
    consultation(central, two_level=True, information_received_on=D(2025, 3, 5))
    stopped = consultation(cse, information_received_on=D(2025, 3, 10))
    factories.ClockStopFactory(
        consultation=stopped, starts_on=D(2025, 3, 20), ends_on=D(2025, 4, 2)
    )
    not_started = consultation(cse, information_received_on=None)
    factories.ExpertiseFactory(
        consultation=not_started, ground="serious_risk", designated_on=D(2025, 4, 1)
    )
    factories.ExpertiseFactory(
        consultation=stopped,
        designated_on=D(2025, 3, 21),
        information_requested_on=D(2025, 3, 21),
        information_received_on=D(2025, 3, 24),
        cost_notified_on=D(2025, 3, 25),
        report_delivered_on=D(2025, 4, 10),
    )
    silent = consultation(
        cse, information_received_on=D(2025, 2, 3), opinion="unfavourable", opinion_on=D(2025, 3, 3)
    )
    factories.ManagementResponseFactory(consultation=silent, stance="no_answer")
    answered = consultation(
        cse, information_received_on=D(2025, 2, 3), opinion="favourable", opinion_on=D(2025, 3, 4)
    )
    factories.ManagementResponseFactory(consultation=answered)
    # An answer to a motion, before the opinion: the opinion's answer is still due.
    answered_before = consultation(
        cse, information_received_on=D(2025, 2, 3), opinion="unfavourable", opinion_on=D(2025, 3, 7)
    )
    factories.ManagementResponseFactory(consultation=answered_before, received_on=D(2025, 2, 20))
    consultation(cse, information_received_on=D(2025, 3, 3), status="closed")
    consultation(
        cse,
        information_received_on=D(2025, 2, 1),
        opinion="deemed_negative",
        opinion_on=D(2025, 3, 2),
    )
    quiet = factories.BodyFactory(organisation=organisation_a)  # no meeting: nothing else due
    consultation(  # answer due 30 days after the opinion, with no next meeting
        quiet,
        information_received_on=D(2025, 2, 3),
        opinion="reservations",
        opinion_on=D(2025, 3, 6),
    )
    for missing in ("information_received_on", "cost_notified_on", "report_delivered_on"):
        done = consultation(
            quiet,
            information_received_on=D(2025, 2, 3),
            opinion="favourable",
            opinion_on=D(2025, 3, 5),
        )
        factories.ManagementResponseFactory(consultation=done)
        facts = {
            "information_requested_on": D(2025, 3, 4),
            "information_received_on": D(2025, 3, 6),
            "cost_notified_on": D(2025, 3, 5),
            "report_delivered_on": D(2025, 3, 20),
        }
        facts[missing] = None
        factories.ExpertiseFactory(consultation=done, designated_on=D(2025, 3, 3), **facts)
    meetings = [
        factories.MeetingFactory(body=central, held_on=D(2025, 4, 10), agenda_sent_on=None),
        factories.MeetingFactory(body=central, held_on=D(2025, 4, 17), agenda_sent_on=None),
        factories.MeetingFactory(body=cse, held_on=D(2025, 3, 25), minutes_sent_on=D(2025, 4, 2)),
        factories.MeetingFactory(body=cse, held_on=D(2025, 4, 28), agenda_sent_on=None),
        factories.MeetingFactory(body=cse, held_on=D(2025, 5, 20)),
        factories.MeetingFactory(body=cse, held_on=D(2025, 4, 3)),
    ]
    factories.MeetingFactory(  # the next day: minutes of 3 April due that day
        body=cse, held_on=D(2025, 4, 4), minutes_sent_on=D(2025, 4, 4)
    )
    meetings[0].consultations.add(two_level)
    meetings[1].consultations.add(two_level)
    meetings[2].consultations.add(stopped, silent)
    meetings[3].consultations.add(stopped, not_started)
    meetings[4].consultations.add(silent, answered)
    meetings[5].consultations.add(answered)
    # Withdrawn projects: alone on a meeting, with one still followed, on minutes sent, on a
    # meeting to come; one with an expert, whose steps are no longer due.
    withdrawn = consultation(cse, information_received_on=D(2025, 3, 3), status="withdrawn")
    factories.ExpertiseFactory(consultation=withdrawn, designated_on=D(2025, 3, 14))
    alone = factories.MeetingFactory(body=cse, held_on=D(2025, 3, 27), agenda_sent_on=None)
    alone.consultations.add(withdrawn)
    later = factories.MeetingFactory(body=central, held_on=D(2025, 6, 5), agenda_sent_on=None)
    later.consultations.add(withdrawn)
    for meeting in (meetings[2], meetings[5]):
        meeting.consultations.add(withdrawn)
    factories.MeetingFactory(body=cse, held_on=D(2025, 3, 18)).consultations.add(
        consultation(cse, information_received_on=D(2025, 3, 3), status="withdrawn")
    )
    # Proposals adopted on 25 March, whose minutes went out on 2 April: management's decision
    # due at the meeting of 3 April (L2315-34), on two texts of one consultation (a statement
    # asks for none), on one answered by an answer naming no motion, on a withdrawn project's;
    # one adopted on 3 April, whose minutes are not sent: no day known.
    for kind in ("motion", "resolution", "statement"):
        factories.MotionFactory(
            consultation=stopped, body=cse, kind=kind, adopted_on=D(2025, 3, 25)
        )
    for adopted in (answered, withdrawn):
        factories.MotionFactory(consultation=adopted, body=cse, adopted_on=D(2025, 3, 25))
    factories.MotionFactory(consultation=silent, body=cse, adopted_on=D(2025, 4, 3))


def test_due_items_agree_with_the_definition_at_the_edges(edge_cases):
    compared = withdrawn_minutes = 0
    for today in (D(2025, 2, 20) + days * DAY for days in range(0, 110, 2)):
        compared += assert_same_items(Consultation.objects.all(), today)
        withdrawn_minutes += assert_same_items_with_withdrawn(
            Consultation.objects.filter(status="open"), Consultation.objects.withdrawn(), today
        )
    assert compared > 500
    assert withdrawn_minutes > 50
    decisions = [
        (item.consultation.pk, item.on, item.state)
        for today in (D(2025, 4, 1), D(2025, 4, 20))
        for item in due_items(
            Consultation.objects.filter(status="open"),
            today=today,
            withdrawn=Consultation.objects.withdrawn(),
        )
        if item.kind == "decision"
    ]
    stopped = Consultation.objects.get(motions__kind="statement").pk
    assert decisions == [(stopped, D(2025, 4, 3), "pending"), (stopped, D(2025, 4, 3), "late")]


def test_the_clock_filters_agree_with_the_clock_annotation():
    call_command("generate_load_data", scale=0.05, force=True, stdout=StringIO())
    base = timezone.localdate()
    # A period paused by a contest of the expertise awaiting its judgment (L2315-86).
    paused = factories.ConsultationFactory(information_received_on=base - 20 * DAY)
    factories.ExpertiseFactory(
        consultation=paused, designated_on=base - 15 * DAY, contested_on=base - 10 * DAY
    )
    # A matter the council is only informed of (L2312-38 al. 1): no period at all.
    factories.ConsultationFactory(
        legal_bases=["L2312-38-1"], information_received_on=base - 60 * DAY
    )
    # Dates at the edges of each state: a deadline, the day "due soon" begins, an answer's day.
    edges = set()
    for deadline, answer in Consultation.objects.values_list("deadline_on", "answer_due_on")[:20]:
        if deadline:
            edges |= {deadline, deadline + DAY, deadline - settings.VIGIE_DUE_SOON_DAYS * DAY}
        if answer:
            edges |= {answer, answer + DAY}
    seen = set()
    for on in sorted(edges | {base + days * DAY for days in (-400, -60, -7, 0, 3, 8, 45, 120)}):
        annotated = Consultation.objects.with_clock_state(on)
        for state in Clock:
            expected = set(annotated.filter(clock=state).values_list("pk", flat=True))
            filtered = Consultation.objects.in_clock_state(state, on)
            assert set(filtered.values_list("pk", flat=True)) == expected, (on, state)
            assert all(clock == state for clock in filtered.values_list("clock", flat=True))
            if expected:
                seen.add(state)
        both = Consultation.objects.in_clock_state((Clock.EXPIRED, Clock.ANSWER_OVERDUE), on)
        assert set(both.values_list("pk", flat=True)) == set(
            annotated.filter(clock__in=(Clock.EXPIRED, Clock.ANSWER_OVERDUE)).values_list(
                "pk", flat=True
            )
        )
    assert seen == set(Clock)


def test_the_search_lists_each_consultation_once(organisation_a, reader_a):
    body = factories.BodyFactory(organisation=organisation_a)

    def consultation(**fields):
        return factories.ConsultationFactory(
            body=body, deployment__organisation=organisation_a, **fields
        )

    in_motions = consultation(title="Outil A")
    factories.MotionFactory(consultation=in_motions, title="Sur la géolocalisation")
    factories.MotionFactory(consultation=in_motions, text="Refus de la GÉOLOCALISATION.")
    factories.MotionFactory(consultation=in_motions, text="Encore la géolocalisation.")
    consultation(title="Outil B", summary="Une géolocalisation des véhicules.")
    consultation(title="Géolocalisation des techniciens")
    quiet = consultation(title="Outil C")
    factories.MotionFactory(consultation=quiet, title="Sur le planning")

    response = client_for(reader_a).get(
        reverse("consultations:consultation-list"), {"q": "géolocalisation"}
    )

    rows = [consultation for consultation, _state in response.context["rows"]]
    assert sorted(c.title for c in rows) == [
        "Géolocalisation des techniciens",
        "Outil A",
        "Outil B",
    ]
    assert response.context["paginator"].count == 3


def test_the_list_shows_the_state_of_each_row(organisation_a, reader_a):
    body = factories.BodyFactory(organisation=organisation_a)
    factories.ConsultationFactory(
        body=body, deployment__organisation=organisation_a, information_received_on=None
    )
    factories.ConsultationFactory(
        body=body, deployment__organisation=organisation_a, title="Ancienne"
    )
    url = reverse("consultations:consultation-list")
    response = client_for(reader_a).get(url, {"clock": "expired"})
    assert [(c.title, state) for c, state in response.context["rows"]] == [
        ("Ancienne", Clock.EXPIRED)
    ]
    assert "Avis réputé négatif" in response.content.decode()


def test_the_workspace_lists_what_the_definition_gives():
    call_command("generate_load_data", scale=0.05, force=True, stdout=StringIO())
    editor = get_user_model().objects.get(username="bench-editor")
    today = timezone.localdate()

    response = client_for(editor).get(reverse("consultations:workspace"))

    current = Consultation.objects.visible_to(editor).current(today)
    items = reference(current, today, end=today + UPCOMING_DAYS * DAY)
    upcoming = [item for item in items if not item.late]
    late = [item for item in items if item.late and item.kind in LATE_STEP_KINDS]
    assert upcoming and late
    assert [described([item])[0] for item, _url, _day, _page in response.context["upcoming"]] == (
        described(upcoming)
    )
    assert [
        described([item])[0] for item, _url, _day, _meeting in response.context["late_steps"]
    ] == (described(late))
    page = response.content.decode()
    first, url, day, _page = response.context["upcoming"][0]
    assert f'href="{url}"' in page and url == f"/consultations/{first.consultation.pk}/"
    assert day in page


def test_the_workspace_narrowed_to_one_organisation_lists_its_dates_only():
    call_command("generate_load_data", scale=0.05, force=True, stdout=StringIO())
    editor = get_user_model().objects.get(username="bench-editor")
    today = timezone.localdate()
    organisation = Consultation.objects.visible_to(editor).current(today).first().body.organisation

    response = client_for(editor).get(
        reverse("consultations:workspace"), {"organisation": organisation.pk}
    )

    current = (
        Consultation.objects.visible_to(editor)
        .current(today)
        .filter(body__organisation=organisation)
    )
    items = reference(current, today, end=today + UPCOMING_DAYS * DAY)
    upcoming = [item for item in items if not item.late]
    shown = [item for item, _url, _day, _page in response.context["upcoming"]]
    assert described(shown) == described(upcoming)
    everyone = client_for(editor).get(reverse("consultations:workspace"))
    assert len(everyone.context["upcoming"]) > len(shown)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_consultation(body, index):
    """A running consultation with an expertise, an answer due and two meetings."""
    consultation = factories.ConsultationFactory(
        body=body,
        deployment__organisation=body.organisation,
        information_received_on=timezone.localdate() - (10 + index) * DAY,
    )
    factories.ExpertiseFactory(consultation=consultation, designated_on=timezone.localdate())
    factories.ClockStopFactory(consultation=consultation)
    answered = factories.ConsultationFactory(
        body=body,
        deployment__organisation=body.organisation,
        information_received_on=timezone.localdate() - 40 * DAY,
        opinion="unfavourable",
        opinion_on=timezone.localdate() - 5 * DAY,
    )
    factories.ManagementResponseFactory(consultation=answered, stance="no_answer")
    for days in (-20, 10):
        meeting = factories.MeetingFactory(
            body=body, held_on=timezone.localdate() + (days + index) * DAY, agenda_sent_on=None
        )
        meeting.consultations.add(consultation, answered)
        factories.MotionFactory(consultation=consultation)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("consultations:workspace", ""),
        ("consultations:consultation-list", "?q=risques&clock=running"),
    ],
)
def test_the_workspace_queries_do_not_grow_with_the_data(organisation_a, name, query):
    url = reverse(name) + query
    editor = factories.UserFactory(username="editeur-rapide")
    factories.MembershipFactory(
        user=editor, organisation=organisation_a, role=Membership.Role.EDITOR
    )
    body = factories.BodyFactory(organisation=organisation_a)
    client = client_for(editor)
    add_consultation(body, 0)
    few = count_queries(client, url)
    for index in range(1, 8):
        add_consultation(factories.BodyFactory(organisation=organisation_a), index)
    assert count_queries(client, url) == few
