"""The timeline index (models/timeline_entry.py) always equals a fresh build from the records.

Every edit below goes through the ORM, as the forms and the admin do; after each, the rows the
signals wrote must be exactly those ``index_rows`` builds from scratch. Deletions included: a
consultation deleted with its records leaves no row behind (the test database checks its
foreign keys at the end of each test).
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from consultations.models import Consultation, Meeting, Motion, TimelineEntry
from consultations.timeline import (
    EntryKind,
    consultation_timeline,
    index_rows,
    rebuild_timeline,
    timeline_entries,
)

from . import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def key(row):
    return (
        row.consultation_id,
        row.on,
        row.kind,
        row.order,
        row.ref,
        row.public,
        row.anchor,
        tuple(sorted(row.summaries.items())),
        tuple(sorted(row.details.items())),
    )


def stored():
    return sorted(key(row) for row in TimelineEntry.objects.all())


def fresh():
    return sorted(key(row) for row in index_rows(Consultation.objects.values_list("pk", flat=True)))


def assert_index_fresh():
    assert stored() == fresh()


@pytest.fixture
def consultation():
    consultation = factories.ConsultationFactory(visibility=Consultation.Visibility.PUBLIC)
    assert_index_fresh()
    return consultation


def test_every_kind_of_edit_keeps_the_index_fresh(consultation):
    body = consultation.body
    meeting = factories.MeetingFactory(body=body, held_on=D(2025, 3, 14))
    meeting.consultations.add(consultation)
    assert_index_fresh()
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
    motion = factories.MotionFactory(
        consultation=consultation, adopting_vote=vote, adopted_on=D(2025, 3, 14), published=True
    )
    assert_index_fresh()
    motion.published = False
    motion.save()
    assert_index_fresh()
    assert not TimelineEntry.objects.filter(kind="motion", public=True).exists()
    assert not TimelineEntry.objects.filter(kind="vote", public=True).exists()
    factories.ExpertiseFactory(consultation=consultation)
    factories.ClockStopFactory(consultation=consultation)
    factories.DocumentFactory(consultation=consultation)
    factories.EventFactory(consultation=consultation, public=False)
    assert_index_fresh()
    consultation.opinion = Consultation.Opinion.UNFAVOURABLE
    consultation.opinion_on = D(2025, 4, 2)
    consultation.save()
    assert_index_fresh()
    assert TimelineEntry.objects.filter(kind="answer_due").exists()
    response = factories.ManagementResponseFactory(consultation=consultation)
    assert_index_fresh()
    assert not TimelineEntry.objects.filter(kind="answer_due").exists()
    body.name = "CSE de l'établissement de Nantes"
    body.save()
    assert_index_fresh()
    meeting.held_on = D(2025, 3, 21)
    meeting.save()
    assert_index_fresh()
    consultation.visibility = Consultation.Visibility.INTERNAL
    consultation.save()
    assert_index_fresh()
    assert not TimelineEntry.objects.filter(public=True).exists()
    response.delete()
    motion.delete()
    meeting.consultations.remove(consultation)
    assert_index_fresh()
    meeting.delete()
    assert_index_fresh()


def test_the_expert_s_report_presented_to_the_council_is_on_the_timeline(consultation):
    """Delivered, then presented at a meeting of the council: two steps, each dated."""
    expertise = factories.ExpertiseFactory(
        consultation=consultation,
        report_delivered_on=D(2025, 4, 10),
        report_presented_on=D(2025, 4, 17),
    )
    assert_index_fresh()
    entries = {e.kind: e for e in consultation_timeline(consultation)}
    presented = entries[EntryKind.REPORT_PRESENTED]
    assert presented.on == D(2025, 4, 17)
    assert presented.summary == f"Cabinet Exemple présente son rapport au {consultation.body}."
    assert presented.anchor == "expertise" and presented.icon == "◈"
    assert entries[EntryKind.EXPERT_REPORT].on == D(2025, 4, 10)
    expertise.expert_firm = ""  # the sentence then starts with a capital all the same
    expertise.save()
    entries = {e.kind: e for e in consultation_timeline(consultation)}
    assert entries[EntryKind.REPORT_PRESENTED].summary.startswith("Un expert habilité présente")
    assert entries[EntryKind.EXPERT_REPORT].summary.startswith("Un expert habilité remet")
    expertise.report_presented_on = None
    expertise.save()
    assert_index_fresh()
    assert not TimelineEntry.objects.filter(kind="report_presented").exists()


def test_another_organisations_meeting_on_the_agenda_is_not_on_the_timeline(consultation):
    """Recorded before the admin refused it: the other company's meeting stays off this
    consultation's timeline, and off the public one."""
    other = factories.MeetingFactory(body=factories.BodyFactory(), held_on=D(2025, 3, 12))
    own = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 14))
    for meeting in (other, own):
        meeting.consultations.add(consultation)
    assert_index_fresh()
    meetings = [e.ref for e in consultation_timeline(consultation) if e.kind == EntryKind.MEETING]
    assert meetings == [own.pk]


def test_deleting_a_consultation_with_its_records_leaves_no_row(consultation):
    meeting = factories.MeetingFactory(body=consultation.body)
    meeting.consultations.add(consultation)
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
    factories.MotionFactory(consultation=consultation, adopting_vote=vote)
    factories.ManagementResponseFactory(consultation=consultation)
    other = factories.ConsultationFactory(body=consultation.body)
    consultation.delete()
    assert not TimelineEntry.objects.filter(consultation_id=consultation.pk).exists()
    assert TimelineEntry.objects.filter(consultation=other).exists()
    assert_index_fresh()
    other.delete()
    assert not TimelineEntry.objects.exists()


def test_the_demo_index_equals_a_fresh_build():
    call_command("load_demo", force=True, stdout=StringIO())
    assert TimelineEntry.objects.count() > 30
    assert_index_fresh()
    assert rebuild_timeline() == TimelineEntry.objects.count()
    assert_index_fresh()


def test_summaries_are_stored_in_every_language(consultation):
    row = TimelineEntry.objects.get(consultation=consultation, kind="information")
    assert set(row.summaries) == {"fr", "en"}
    assert row.summaries["fr"].startswith("La direction remet les informations")
    with translation.override("en"):
        entry = consultation_timeline(consultation)[0]
    assert entry.summary == row.summaries["en"]


def test_the_date_of_the_reading_turns_a_deadline_into_a_deemed_negative_opinion(consultation):
    deadline_on = Consultation.objects.get(pk=consultation.pk).deadline_on
    before = deadline_on - datetime.timedelta(days=1)
    after = deadline_on + datetime.timedelta(days=1)
    kinds = {e.kind for e in consultation_timeline(consultation, today=before)}
    assert EntryKind.DEADLINE in kinds and EntryKind.DEEMED_NEGATIVE not in kinds
    kinds = {e.kind for e in consultation_timeline(consultation, today=after)}
    assert EntryKind.DEEMED_NEGATIVE in kinds and EntryKind.DEADLINE not in kinds
    everything = Consultation.objects.all()
    only = timeline_entries(everything, public=True, kinds=["deemed_negative"], today=after)
    assert [e.kind for e in only.entries] == [EntryKind.DEEMED_NEGATIVE]
    assert timeline_entries(everything, public=True, kinds=["deadline"], today=after).total == 0


def test_a_page_is_cut_in_the_database_in_a_fixed_number_of_queries(django_assert_num_queries):
    for _ in range(3):
        factories.ConsultationFactory(visibility=Consultation.Visibility.PUBLIC)
    with django_assert_num_queries(2):
        page = timeline_entries(None, public=True, offset=1, limit=2)
    assert len(page.entries) == 2 and page.total == 6
    assert page.entries[0].where.title.startswith("Consultation sur l'outil")


@override_settings(LANGUAGES=[("fr", "Français")])
def test_rebuild_fills_a_language_added_later(consultation):
    rebuild_timeline()
    assert set(TimelineEntry.objects.first().summaries) == {"fr"}


def test_migrate_fills_an_empty_index():
    call_command("load_demo", force=True, stdout=StringIO())
    TimelineEntry.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert_index_fresh()
    assert Meeting.objects.exists() and Motion.objects.exists()


def test_the_public_timeline_page_needs_three_queries(client, django_assert_num_queries):
    """The drop-downs of the filters, the page of entries, their count: nothing per entry."""
    for _ in range(3):
        factories.MotionFactory(consultation__visibility=Consultation.Visibility.PUBLIC)
    with django_assert_num_queries(3):
        response = client.get("/")
    assert response.content.decode().count('class="timeline-entry') >= 9


def test_moving_a_meeting_to_another_body_refreshes_both(consultation):
    """The first body's consultation loses the meeting after which its answer was due."""
    consultation.opinion = Consultation.Opinion.UNFAVOURABLE
    consultation.opinion_on = D(2025, 4, 2)
    consultation.save()
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 4, 20))
    due_with_meeting = Consultation.objects.get(pk=consultation.pk).answer_due_on
    assert due_with_meeting == D(2025, 4, 20)
    other_body = factories.BodyFactory(organisation=consultation.body.organisation)
    meeting.body = other_body
    meeting.save()
    assert Consultation.objects.get(pk=consultation.pk).answer_due_on != due_with_meeting
    assert_index_fresh()


def two_public_consultations():
    first = factories.ConsultationFactory(visibility=Consultation.Visibility.PUBLIC)
    second = factories.ConsultationFactory(
        body=first.body, deployment=first.deployment, visibility=Consultation.Visibility.PUBLIC
    )
    return first, second


def test_a_part_moved_to_another_consultation_leaves_the_first_one():
    first, second = two_public_consultations()
    motion = factories.MotionFactory(consultation=first, published=True)
    motion.consultation = second
    motion.published = False
    motion.save()
    assert_index_fresh()
    assert not TimelineEntry.objects.filter(kind="motion", public=True).exists()
    event = factories.EventFactory(consultation=first, public=True)
    event.consultation = second
    event.save()
    event.public = False
    event.save()
    assert_index_fresh()
    stop = factories.ClockStopFactory(consultation=first)
    stop.consultation = second
    stop.save()
    assert_index_fresh()
    fresh_first = Consultation.objects.with_clock_facts().get(pk=first.pk)
    assert fresh_first.deadline_on == fresh_first.deadline().date


def test_a_vote_moved_away_from_its_motion_follows_the_motion_publication():
    first, second = two_public_consultations()
    meeting = factories.MeetingFactory(body=first.body)
    vote = factories.VoteFactory(meeting=meeting, consultation=first)
    motion = factories.MotionFactory(consultation=first, adopting_vote=vote, published=True)
    vote.consultation = second
    vote.save()
    motion.published = False
    motion.save()
    assert_index_fresh()
    assert not TimelineEntry.objects.filter(kind="vote", public=True).exists()


def test_a_meeting_of_another_body_is_followed_on_the_agenda():
    consultation = factories.ConsultationFactory(visibility=Consultation.Visibility.PUBLIC)
    cssct = factories.BodyFactory(organisation=consultation.body.organisation, name="CSSCT")
    meeting = factories.MeetingFactory(body=cssct, held_on=D(2025, 3, 20))
    meeting.consultations.add(consultation)
    assert_index_fresh()
    assert TimelineEntry.objects.filter(kind="meeting", consultation=consultation).exists()
    factories.VoteFactory(meeting=meeting, consultation=consultation)
    meeting.held_on = D(2025, 3, 21)
    meeting.save()
    assert_index_fresh()
    cssct.name = "CSSCT de Lyon"
    cssct.save()
    assert_index_fresh()
    meeting.consultations.clear()
    assert_index_fresh()
    meeting.consultations.add(consultation)
    meeting.delete()
    assert_index_fresh()
    assert not TimelineEntry.objects.filter(kind__in=["meeting", "vote"]).exists()


def test_rebuilding_takes_the_same_queries_for_few_or_many_consultations(
    django_assert_max_num_queries,
):
    def awaiting_answer(count):
        ids = []
        for _ in range(count):
            consultation = factories.ConsultationFactory(
                opinion=Consultation.Opinion.UNFAVOURABLE, opinion_on=D(2025, 4, 2)
            )
            factories.MeetingFactory(body=consultation.body, held_on=D(2025, 5, 2))
            ids.append(consultation.pk)
        return ids

    few = awaiting_answer(2)
    with CaptureQueriesContext(connection) as context:
        rebuild_timeline(few)
    many = awaiting_answer(12)
    with django_assert_max_num_queries(len(context.captured_queries)):
        rebuild_timeline(many)


def test_index_rows_do_not_retire_the_public_pages_one_by_one():
    """The records bump the cache version; their index rows, deleted in bulk, do not."""
    assert not post_delete.has_listeners(TimelineEntry)
    assert not post_save.has_listeners(TimelineEntry)


@pytest.mark.django_db(transaction=True)
def test_a_partial_migrate_leaves_the_index_alone():
    call_command("load_demo", force=True, stdout=StringIO())
    call_command("migrate", "consultations", "0003", verbosity=0)
    call_command("migrate", verbosity=0)
    assert_index_fresh()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("before", ["0008", "0009"])
def test_migrate_writes_the_stored_words_again_once(before):
    """Migrations 0009 (explanations translated) and 0010 (an opinion's vote "adopté") each
    empty the index, which migrate then rebuilds from the records: old words are written again."""
    call_command("load_demo", force=True, stdout=StringIO())
    TimelineEntry.objects.update(
        details={"fr": "ancien", "en": "old"}, summaries={"fr": "ancien", "en": "old"}
    )
    call_command("migrate", "consultations", before, verbosity=0)
    call_command("migrate", verbosity=0)
    assert_index_fresh()
    assert not TimelineEntry.objects.filter(details__en="old").exists()
    assert not TimelineEntry.objects.filter(summaries__fr="ancien").exists()
    explained = TimelineEntry.objects.filter(kind="deadline").first()
    assert explained.details["en"].startswith(("1 month", "2 months", "3 months"))


@pytest.mark.django_db(transaction=True)
def test_migrate_keeps_the_employers_share_of_an_expertise_recorded_before_0016():
    """0016 split the employer's 100 % (L2315-80) into its two conditions: an expertise recorded
    with an insufficient budget keeps its 100 %."""
    from consultations.models import Expertise

    call_command("load_demo", force=True, stdout=StringIO())
    Expertise.objects.update(budget_insufficient=True, ground="new_technology")
    call_command("migrate", "consultations", "0015", verbosity=0)
    call_command("migrate", verbosity=0)
    expertise = Expertise.objects.get()
    assert expertise.no_surplus_transferred and expertise.employer_share_percent == 100


@pytest.mark.django_db
def test_the_appointment_of_an_expert_gives_its_ground_without_nested_parentheses():
    """« Le CSE désigne Cabinet Exemple (Nouvelles technologies ou projet important (L2315-94
    2°)). » (found by a reader's QA pass)."""
    expertise = factories.ExpertiseFactory(consultation__visibility="public")
    entry = TimelineEntry.objects.get(consultation=expertise.consultation, kind="expert_appointed")
    assert entry.summaries["fr"] == (
        "Le CSE désigne Cabinet Exemple\u202f; motif\u00a0: nouvelles technologies ou projet "
        "important (L2315-94 2°)."
    )
    assert entry.summaries["en"].startswith("The works council (CSE) appoints Cabinet Exemple;")


def test_the_last_day_to_come_says_whose_opinion_is_deemed_negative():
    """« … pour rendre son avis ; à défaut, il est réputé négatif » read as if the council were
    (found by a reader's QA pass)."""
    from consultations.models.timeline_entry import EntryKind
    from consultations.timeline import dated_summary

    with translation.override("fr"):
        said = dated_summary(EntryKind.DEADLINE, datetime.date(2026, 12, 20))
    assert said == (
        "Le CSE a jusqu'au 20 décembre 2026 inclus pour rendre son avis\u202f; à défaut, son avis "
        "est réputé négatif."
    )
