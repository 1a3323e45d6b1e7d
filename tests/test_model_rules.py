"""Each business rule of the domain model: clean() with a French message, or a named constraint."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from consultations.models import Body, Consultation, Deployment, Expertise, Meeting, Motion, Vote
from consultations.models.deployment import DPIAStatus
from consultations.wording import explanation, long_date

from . import factories

D = datetime.date


def error_messages(obj):
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def messages_if_any(obj) -> dict:
    """Like error_messages(), {} when the record is valid."""
    try:
        obj.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


pytestmark = pytest.mark.django_db


# --- Votes ------------------------------------------------------------------------------------


def test_it_refuses_more_ballots_than_voters():
    vote = factories.VoteFactory.build(
        meeting=factories.MeetingFactory(),
        consultation=None,
        subject=Vote.Subject.OTHER,
        votes_for=5,
        votes_against=3,
        abstentions=2,
        voting_members_present=9,
    )
    messages = error_messages(vote)
    assert "plus de voix que de votants" in messages["voting_members_present"][0]


def test_it_refuses_more_voters_than_seats():
    meeting = factories.MeetingFactory(body=factories.BodyFactory(seats=9))
    vote = factories.VoteFactory.build(
        meeting=meeting,
        consultation=None,
        subject=Vote.Subject.OTHER,
        votes_for=10,
        voting_members_present=10,
    )
    assert "plus de votants que de sièges" in error_messages(vote)["voting_members_present"][0]


@pytest.mark.parametrize("saved", [True, False])
def test_it_says_the_ballots_and_the_seats_at_once(saved):
    """Both, and with the meeting not yet saved too (the forms check the votes typed with it):
    the voters beyond the seats were said only once the ballots were corrected."""
    body = factories.BodyFactory(seats=9)
    meeting = factories.MeetingFactory(body=body) if saved else Meeting(body=body)
    vote = factories.VoteFactory.build(
        meeting=meeting,
        consultation=None,
        subject=Vote.Subject.OTHER,
        votes_for=6,
        votes_against=5,
        voting_members_present=10,
    )
    [ballots, seats] = error_messages(vote)["voting_members_present"]
    assert "11 bulletins pour 10 votants présents" in ballots
    assert "10 élus votants pour 9 sièges de titulaires" in seats


def test_it_refuses_a_president_vote_on_a_consultation():
    vote = factories.VoteFactory.build(
        meeting=factories.MeetingFactory(),
        consultation=None,
        subject=Vote.Subject.APPOINT_EXPERT,
        votes_for=10,
        voting_members_present=10,
        president_voted=True,
    )
    assert "L2315-32" in error_messages(vote)["voting_members_present"][0]


def test_it_holds_the_ballot_count_in_the_database_too():
    vote = factories.VoteFactory()
    vote.votes_for, vote.votes_against = 9, 1
    with pytest.raises(IntegrityError), transaction.atomic():
        vote.save()


def test_it_computes_the_result_and_unanimity():
    vote = factories.VoteFactory(votes_for=9, voting_members_present=9)
    assert vote.adopted and vote.unanimous
    vote = factories.VoteFactory(votes_for=4, abstentions=5, voting_members_present=9)
    assert not vote.adopted and not vote.unanimous


@pytest.mark.parametrize(
    ("subject", "refused"),
    [
        (Vote.Subject.OPINION, True),
        (Vote.Subject.APPOINT_EXPERT, True),
        # Agreements with the employer are made with the CSE (L2312-16, R2315-47).
        (Vote.Subject.AGREEMENT, True),
        (Vote.Subject.EXPERT_RENEWAL, True),
        (Vote.Subject.MOTION, False),
        (Vote.Subject.OTHER, False),
    ],
)
def test_it_refuses_in_a_cssct_what_only_the_cse_votes(subject, refused):
    cse = factories.BodyFactory()
    cssct = factories.BodyFactory(
        organisation=cse.organisation, kind=Body.Kind.CSSCT, parent=cse, name="CSSCT", seats=3
    )
    vote = factories.VoteFactory.build(
        meeting=factories.MeetingFactory(body=cssct),
        consultation=factories.ConsultationFactory(body=cse),
        subject=subject,
        votes_for=3,
        voting_members_present=3,
    )
    if refused:
        assert "L2315-38" in error_messages(vote)["subject"][0]
    else:
        vote.full_clean()


@pytest.mark.parametrize(
    ("subject", "refused"),
    [
        (Vote.Subject.OPINION, True),
        (Vote.Subject.APPOINT_EXPERT, True),
        (Vote.Subject.AGREEMENT, True),
        (Vote.Subject.EXPERT_RENEWAL, True),
        (Vote.Subject.MOTION, False),
        (Vote.Subject.OTHER, False),
    ],
)
def test_it_refuses_the_opinion_of_a_council_voted_at_another_councils_meeting(subject, refused):
    """An opinion, an expert, an agreement on the periods are voted by the council consulted
    (LEGAL.md (c)): one voted at another council's meeting of the organisation was saved with
    a warning that the consultation was not on its agenda, and the expert's vote lengthened
    the period."""
    consulted = factories.BodyFactory(name="CSE de Lyon")
    other = factories.BodyFactory(organisation=consulted.organisation, name="CSE de Lille")
    vote = factories.VoteFactory.build(
        meeting=factories.MeetingFactory(body=other),
        consultation=factories.ConsultationFactory(body=consulted),
        subject=subject,
        votes_for=9,
        voting_members_present=9,
    )
    if refused:
        assert error_messages(vote) == {
            "consultation": [
                "Cette consultation est celle de l'instance «\u00a0CSE de Lyon\u00a0»\u00a0: un "
                "avis, la désignation d'un expert ou un accord avec l'employeur sur ses délais se "
                "vote en réunion de cette instance, non de «\u00a0CSE de Lille\u00a0»."
            ]
        }
    else:
        vote.full_clean()


@pytest.mark.parametrize(("kind", "refused"), [("opinion", True), ("motion", False)])
def test_a_cssct_adopts_no_opinion(kind, refused):
    """L2315-38: the CSSCT has no consultative power; its vote may adopt a motion, not an
    « Avis »."""
    cse = factories.BodyFactory()
    cssct = factories.BodyFactory(
        organisation=cse.organisation, kind=Body.Kind.CSSCT, parent=cse, name="CSSCT", seats=4
    )
    vote = factories.VoteFactory(
        meeting=factories.MeetingFactory(body=cssct),
        consultation=factories.ConsultationFactory(body=cse),
        subject=Vote.Subject.MOTION,
        votes_for=4,
        voting_members_present=4,
    )
    motion = factories.MotionFactory.build(
        consultation=vote.consultation, adopting_vote=vote, kind=kind, adopted_on=None
    )
    if refused:
        assert "L2315-38" in error_messages(motion)["kind"][0]
    else:
        motion.full_clean()


# --- Consultations and CSSCT ------------------------------------------------------------------


def cssct():
    cse = factories.BodyFactory()
    return factories.BodyFactory(
        organisation=cse.organisation, kind=Body.Kind.CSSCT, parent=cse, name="CSSCT"
    )


def test_it_refuses_an_opinion_on_a_cssct():
    consultation = factories.ConsultationFactory.build(
        body=cssct(), opinion=Consultation.Opinion.UNFAVOURABLE, opinion_on=D(2025, 4, 1)
    )
    consultation.deployment = factories.DeploymentFactory(
        organisation=consultation.body.organisation
    )
    assert "L2315-38" in error_messages(consultation)["opinion"][0]


def test_it_refuses_a_consultation_filed_on_a_cssct():
    """A CSSCT is not consulted (L2315-38): on its body, a consultation would get a period and
    be deemed negative when it ran out."""
    body = cssct()
    consultation = factories.ConsultationFactory.build(
        body=body, deployment=factories.DeploymentFactory(organisation=body.organisation)
    )
    message = error_messages(consultation)["body"][0]
    assert "L2315-38" in message and "ordre du jour des réunions de la CSSCT" in message
    consultation.body = body.parent
    consultation.full_clean()


def test_a_council_with_consultations_cannot_become_a_cssct():
    body = factories.BodyFactory()
    factories.ConsultationFactory(
        body=body, deployment=factories.DeploymentFactory(organisation=body.organisation)
    )
    body.kind = Body.Kind.CSSCT
    assert "L2315-38" in error_messages(body)["kind"][0]


def test_it_refuses_an_expertise_on_a_cssct():
    body = cssct()
    consultation = factories.ConsultationFactory(
        body=body, deployment=factories.DeploymentFactory(organisation=body.organisation)
    )
    expertise = factories.ExpertiseFactory.build(consultation=consultation)
    assert "L2315-38" in error_messages(expertise)["consultation"][0]


def test_it_refuses_an_opinion_without_the_information_date():
    consultation = factories.ConsultationFactory(information_received_on=None)
    consultation.opinion = Consultation.Opinion.FAVOURABLE
    consultation.opinion_on = D(2025, 4, 1)
    assert "remise des informations" in error_messages(consultation)["opinion"][0]


def test_it_refuses_an_opinion_before_the_information():
    consultation = factories.ConsultationFactory(information_received_on=D(2025, 3, 3))
    consultation.opinion = Consultation.Opinion.FAVOURABLE
    consultation.opinion_on = D(2025, 3, 1)
    assert "précéder" in error_messages(consultation)["opinion_on"][0]


def test_it_requires_the_opinion_date_in_the_database_too():
    consultation = factories.ConsultationFactory()
    consultation.opinion = Consultation.Opinion.FAVOURABLE
    with pytest.raises(IntegrityError), transaction.atomic():
        consultation.save()


def test_it_refuses_a_deployment_of_another_organisation():
    consultation = factories.ConsultationFactory.build(
        body=factories.BodyFactory(), deployment=factories.DeploymentFactory()
    )
    assert "même organisation" in error_messages(consultation)["deployment"][0]


def test_it_refuses_an_unknown_legal_basis():
    consultation = factories.ConsultationFactory(legal_bases=["L9999"])
    assert "L9999" in error_messages(consultation)["legal_bases"][0]


# --- Dates in an impossible order ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("minutes_sent_on", D(2025, 3, 13)),
        ("minutes_adopted_on", D(2025, 3, 1)),
        ("agenda_sent_on", D(2025, 3, 15)),
    ],
)
def test_it_refuses_meeting_dates_in_an_impossible_order(field, value):
    meeting = factories.MeetingFactory.build(
        body=factories.BodyFactory(), held_on=D(2025, 3, 14), **{field: value}
    )
    assert field in error_messages(meeting)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("report_delivered_on", D(2025, 3, 1)),
        ("information_requested_on", D(2025, 3, 1)),
        ("cost_notified_on", D(2025, 3, 13)),
    ],
)
def test_it_refuses_expertise_dates_before_designation(field, value):
    expertise = factories.ExpertiseFactory.build(
        consultation=factories.ConsultationFactory(), designated_on=D(2025, 3, 14), **{field: value}
    )
    assert field in error_messages(expertise)


@pytest.mark.parametrize("field", Expertise.STEP_DATES)
def test_it_refuses_an_expertise_step_dated_after_today(field):
    """Found by an editor's QA pass: a report « delivered » next month read as delivered late."""
    today = timezone.localdate()
    steps = {"designated_on": None, field: today + datetime.timedelta(days=1)}
    if field == "judgment_on":
        steps["contested_on"] = today
    expertise = factories.ExpertiseFactory.build(
        consultation=factories.ConsultationFactory(), **steps
    )
    errors = error_messages(expertise)
    assert list(errors) == [field]
    assert "est à venir" in errors[field][0]
    setattr(expertise, field, today)
    expertise.full_clean()  # today is fine


def test_a_future_step_saved_before_the_rule_is_refused_only_when_changed():
    """A record saved before the rule with a step after today stays editable while that date
    is left as it is: its consultation's admin page revalidates it with every save. A future
    date newly typed, there or in another step, is still refused beside its field."""
    today = timezone.localdate()
    expertise = factories.ExpertiseFactory(consultation=factories.ConsultationFactory())
    Expertise.objects.filter(pk=expertise.pk).update(
        report_delivered_on=today + datetime.timedelta(days=30)
    )
    expertise.refresh_from_db()
    expertise.expert_firm = "Cabinet renommé"
    expertise.full_clean()  # the legacy date left alone
    expertise.report_delivered_on += datetime.timedelta(days=1)
    assert list(error_messages(expertise)) == ["report_delivered_on"]
    expertise.refresh_from_db()
    expertise.cost_notified_on = today + datetime.timedelta(days=1)
    assert list(error_messages(expertise)) == ["cost_notified_on"]


def test_it_refuses_a_judgment_without_a_contest():
    expertise = factories.ExpertiseFactory.build(
        consultation=factories.ConsultationFactory(), judgment_on=D(2025, 4, 1)
    )
    assert "contested_on" in error_messages(expertise)


def test_it_refuses_a_clock_stop_ending_before_it_starts():
    stop = factories.ClockStopFactory.build(
        consultation=factories.ConsultationFactory(), starts_on=D(2025, 4, 2), ends_on=D(2025, 4, 1)
    )
    assert "ends_on" in error_messages(stop)
    with pytest.raises(IntegrityError), transaction.atomic():
        stop.save()


def test_it_refuses_a_clock_stop_before_the_period_starts():
    """No period runs before T0 (R2312-6): there is nothing to suspend (found by an admin QA
    pass: a suspension of 2019 on a consultation informed in 2020 was saved and shown)."""
    consultation = factories.ConsultationFactory(information_received_on=D(2020, 6, 15))
    stop = factories.ClockStopFactory.build(
        consultation=consultation, starts_on=D(2019, 8, 1), ends_on=D(2019, 8, 5)
    )
    assert error_messages(stop)["starts_on"] == [
        "Le délai court à partir du 15 juin 2020\u00a0: une suspension ne peut pas commencer avant."
    ]
    stop.starts_on, stop.ends_on = D(2020, 6, 15), D(2020, 6, 20)
    assert "starts_on" not in messages_if_any(stop)
    consultation.information_received_on = None  # no T0 yet: nothing to check against
    stop.starts_on = D(2019, 8, 1)
    assert "starts_on" not in messages_if_any(stop)


def test_it_refuses_a_document_dated_in_the_future():
    today = datetime.date.today()
    document = factories.DocumentFactory.build(
        consultation=factories.ConsultationFactory(),
        dated_on=today + datetime.timedelta(days=30),
    )
    assert "à venir" in error_messages(document)["dated_on"][0]
    document.dated_on = today
    assert "dated_on" not in messages_if_any(document)


def test_only_a_serious_risk_expertise_has_its_report_renewed():
    consultation = factories.ConsultationFactory()
    expertise = factories.ExpertiseFactory.build(
        consultation=consultation,
        ground="new_technology",
        designated_on=D(2025, 3, 6),
        report_extension_months=2,
    )
    assert "risque grave" in error_messages(expertise)["report_extension_months"][0]
    expertise.ground = "serious_risk"
    expertise.full_clean()
    expertise.save()
    report = {step.key: step for step in expertise.milestones(on=D(2025, 5, 10))}["report"]
    assert report.due.date == D(2025, 7, 6)
    assert report.state.value == "pending"


def test_it_gives_the_employers_days_to_contest_each_notice():
    """L2315-86, R2315-49: 10 days from the designation, the cost notice, the final cost
    notice; a Saturday end moves to the Monday (Cass. soc. 5 Feb. 2025)."""
    expertise = factories.ExpertiseFactory.build(
        designated_on=D(2025, 3, 5), cost_notified_on=D(2025, 3, 14), spec_notified_on=None
    )
    windows = expertise.contest_windows(on=D(2025, 3, 20))
    assert [(w.what, w.due.date, w.open) for w in windows] == [
        ("la nécessité de l'expertise et le choix de l'expert", D(2025, 3, 17), False),
        ("le coût prévisionnel, l'étendue ou la durée", D(2025, 3, 24), True),
    ]
    assert "L2315-86" in windows[0].due.explanation
    assert factories.ExpertiseFactory.build(designated_on=None).contest_windows() == []


def test_the_necessity_of_an_expertise_is_contested_from_the_vote():
    """R2315-49: 10 days from the council's vote for the necessity, from the designation for
    the choice of the expert, when the expert was designated later; the same whether the
    vote's day comes from with_vote_day() or from the vote itself."""
    consultation = factories.ConsultationFactory()
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 3))
    vote = factories.VoteFactory(
        meeting=meeting, consultation=consultation, subject=Vote.Subject.APPOINT_EXPERT
    )
    expertise = factories.ExpertiseFactory(
        consultation=consultation, appointing_vote=vote, designated_on=D(2025, 3, 20)
    )
    expected = [
        ("la nécessité de l'expertise", D(2025, 3, 13)),
        ("le choix de l'expert", D(2025, 3, 31)),
    ]
    for loaded in (
        Expertise.objects.get(pk=expertise.pk),
        Consultation.objects.with_clock_facts().get(pk=consultation.pk).fetched("expertises")[0],
    ):
        windows = loaded.contest_windows(on=D(2025, 3, 20))
        assert [(w.what, w.due.date) for w in windows] == expected


def test_it_computes_the_funding_split_from_the_ground():
    expertise = factories.ExpertiseFactory.build(ground="serious_risk")
    assert (expertise.employer_share_percent, expertise.council_share_percent) == (100, 0)
    expertise.ground = "new_technology"
    assert (expertise.employer_share_percent, expertise.council_share_percent) == (80, 20)
    expertise.budget_insufficient = True
    assert expertise.employer_share_percent == 80  # and a surplus moved to the ASC
    expertise.no_surplus_transferred = True
    assert expertise.employer_share_percent == 100


# --- Bodies, organisations --------------------------------------------------------------------


def test_it_refuses_an_agreed_period_under_15_days():
    body = factories.BodyFactory.build(
        organisation=factories.OrganisationFactory(), agreed_days_without_expert=10
    )
    assert "15 jours" in error_messages(body)["agreed_days_without_expert"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        body.save()


def test_it_refuses_a_cssct_attached_to_another_cssct():
    parent = cssct()
    body = factories.BodyFactory.build(
        organisation=parent.organisation, kind=Body.Kind.CSSCT, parent=parent
    )
    assert "parent" in error_messages(body)


@pytest.mark.parametrize(("seats", "valid"), [(2, False), (3, True)])
def test_a_cssct_has_at_least_three_elected_members(seats, valid):
    """L2315-39: at least 3 elected members (one from the 2nd or 3rd college, not recorded)."""
    cse = factories.BodyFactory()
    body = factories.BodyFactory.build(
        organisation=cse.organisation, kind=Body.Kind.CSSCT, parent=cse, seats=seats
    )
    if valid:
        body.full_clean()
    else:
        assert "L2315-39" in error_messages(body)["seats"][0]


@pytest.mark.parametrize(
    ("siren", "valid"),
    [("732829320", True), ("732 829 320", True), ("732829321", False), ("12345", False)],
)
def test_it_checks_the_siren(siren, valid):
    organisation = factories.OrganisationFactory.build(siren=siren)
    if valid:
        organisation.full_clean()
    else:
        assert "siren" in error_messages(organisation)


# --- AI systems --------------------------------------------------------------------------------


def test_an_impact_assessment_done_has_its_date_and_one_not_required_its_reason():
    """LEGAL.md (d): dpia = required | done(date) | not_required(reason). Found by a union
    representative's QA pass: « Réalisée » was saved without a date."""
    deployment = factories.DeploymentFactory()
    deployment.dpia_status = DPIAStatus.DONE
    assert error_messages(deployment) == {
        "dpia_on": [
            "Indiquez la date à laquelle l'AIPD a été réalisée\u202f; si elle reste à faire, "
            "choisissez «\u00a0Requise, pas encore faite\u00a0»."
        ]
    }
    deployment.dpia_on = D(2025, 2, 10)
    deployment.full_clean()
    deployment.dpia_status, deployment.dpia_on = DPIAStatus.NOT_REQUIRED, None
    deployment.dpia_not_required_reason = "  "
    assert list(error_messages(deployment)) == ["dpia_not_required_reason"]
    deployment.dpia_not_required_reason = "Pas de traitement à risque, selon la direction."
    deployment.full_clean()


@pytest.mark.parametrize(
    ("status", "field"),
    [(DPIAStatus.DONE, "dpia_on"), (DPIAStatus.NOT_REQUIRED, "dpia_not_required_reason")],
)
def test_an_impact_assessment_recorded_before_the_rule_stays_editable(status, field):
    """Checked when the status, the date or the reason is set or changed: a system described
    before the rule is still saved when something else changes."""
    deployment = factories.DeploymentFactory()
    Deployment.objects.filter(pk=deployment.pk).update(dpia_status=status)
    deployment.refresh_from_db()
    deployment.notes = "Notes complétées"
    deployment.full_clean()
    deployment.dpia_status = DPIAStatus.REQUIRED
    deployment.save()
    deployment.dpia_status = status
    assert list(error_messages(deployment)) == [field]


# --- Motions -------------------------------------------------------------------------------------


def test_it_numbers_motions_per_body_and_year_on_adoption():
    consultation = factories.ConsultationFactory()
    first = factories.MotionFactory(consultation=consultation, adopted_on=D(2020, 8, 27))
    draft = factories.MotionFactory(consultation=consultation, adopted_on=None)
    second = factories.MotionFactory(consultation=consultation, adopted_on=D(2020, 9, 23))
    next_year = factories.MotionFactory(consultation=consultation, adopted_on=D(2021, 1, 5))
    assert [first.reference, second.reference, next_year.reference] == [
        "2020-01",
        "2020-02",
        "2021-01",
    ]
    assert draft.number is None
    draft.adopted_on = D(2020, 10, 1)
    draft.save()
    assert draft.reference == "2020-03"


def test_it_holds_one_motion_number_per_body_and_year():
    motion = factories.MotionFactory(adopted_on=D(2020, 8, 27))
    with pytest.raises(IntegrityError), transaction.atomic():
        Motion.objects.filter(
            pk=factories.MotionFactory(consultation=motion.consultation).pk
        ).update(number=motion.number, year=motion.year)


def test_it_refuses_to_attach_a_motion_to_a_rejected_vote():
    vote = factories.VoteFactory(votes_for=2, votes_against=7, voting_members_present=9)
    motion = factories.MotionFactory.build(
        consultation=vote.consultation, adopting_vote=vote, adopted_on=None
    )
    assert "pas été adopté" in error_messages(motion)["adopting_vote"][0]


def test_it_takes_the_adoption_date_from_the_vote():
    vote = factories.VoteFactory()
    motion = factories.MotionFactory(
        consultation=vote.consultation, adopting_vote=vote, adopted_on=None
    )
    assert motion.adopted_on == vote.meeting.held_on and motion.number == 1


# --- Answers, demands, documents, events -------------------------------------------------------


def test_it_refuses_a_demand_settled_by_another_consultations_answer():
    demand = factories.DemandFactory.build(
        consultation=factories.ConsultationFactory(),
        settled_by=factories.ManagementResponseFactory(),
        status="refused",
    )
    assert "settled_by" in error_messages(demand)


def test_it_refuses_a_confidential_document_without_justification():
    document = factories.DocumentFactory.build(
        consultation=factories.ConsultationFactory(), confidential=True
    )
    assert "L2315-3" in error_messages(document)["confidentiality_justification"][0]


def test_it_refuses_an_event_attached_to_nothing():
    event = factories.EventFactory.build(consultation=None, deployment=None)
    with pytest.raises(ValidationError):
        event.clean()


# --- Facts that cannot have happened yet, and opinions deemed negative too soon -------------


def test_it_refuses_an_opinion_deemed_negative_before_the_period_ran_out():
    """R2312-6: the opinion is deemed negative only once the period ran out without one."""
    consultation = factories.ConsultationFactory(information_received_on=datetime.date(2025, 3, 3))
    consultation.opinion = Consultation.Opinion.DEEMED_NEGATIVE
    for day in (datetime.date(2025, 3, 20), datetime.date(2025, 4, 3)):  # the last day: 3 April
        consultation.opinion_on = day
        message = error_messages(consultation)["opinion"][0]
        assert "après le 3 avril 2025 (R2312-6)" in message
    consultation.opinion_on = datetime.date(2025, 4, 4)
    consultation.full_clean()


def test_it_refuses_an_opinion_deemed_negative_while_the_period_is_paused():
    consultation = factories.ConsultationFactory(information_received_on=datetime.date(2025, 3, 3))
    factories.ExpertiseFactory(consultation=consultation, contested_on=datetime.date(2025, 3, 20))
    consultation.opinion = Consultation.Opinion.DEEMED_NEGATIVE
    consultation.opinion_on = datetime.date(2025, 6, 1)
    assert "L2315-86" in error_messages(consultation)["opinion"][0]


def test_it_checks_a_new_consultation_deemed_negative_without_a_query_on_its_parts():
    body = factories.BodyFactory()
    consultation = Consultation(
        title="Nouvelle",
        body=body,
        deployment=factories.DeploymentFactory(organisation=body.organisation),
        information_received_on=datetime.date(2025, 3, 3),
        opinion=Consultation.Opinion.DEEMED_NEGATIVE,
        opinion_on=datetime.date(2025, 4, 1),
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert "après le 3 avril 2025" in error_messages(consultation)["opinion"][0]
    read = " ".join(query["sql"] for query in queries)
    assert "consultations_expertise" not in read and "consultations_clockstop" not in read


def test_it_refuses_an_opinion_or_an_answer_dated_in_the_future():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    consultation = factories.ConsultationFactory(information_received_on=datetime.date(2025, 3, 3))
    consultation.opinion, consultation.opinion_on = Consultation.Opinion.FAVOURABLE, tomorrow
    assert "à venir" in error_messages(consultation)["opinion_on"][0]
    response = factories.ManagementResponseFactory.build(
        consultation=consultation, received_on=tomorrow
    )
    assert "à venir" in error_messages(response)["received_on"][0]
    response.received_on = timezone.localdate()
    response.full_clean()


def test_it_refuses_a_motion_adopted_in_the_future():
    """A motion « adoptée le 1er janvier 2099 » was saved, given its number and shown as
    adopted; one saved so before the rule stays editable while its date is left alone."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    motion = factories.MotionFactory.build(
        consultation=factories.ConsultationFactory(), adopted_on=tomorrow
    )
    assert error_messages(motion) == {
        "adopted_on": [
            f"La motion est datée du {long_date(tomorrow)}, à venir\u00a0: elle s'enregistre "
            "une fois adoptée."
        ]
    }
    motion.adopted_on = timezone.localdate()
    motion.full_clean()
    motion.save()
    Motion.objects.filter(pk=motion.pk).update(adopted_on=tomorrow)
    motion.refresh_from_db()
    motion.full_clean()


def test_a_future_date_saved_before_the_rule_is_refused_only_when_changed():
    """As for an expertise's steps: a consultation or an answer saved with a date to come (before
    the rule, or by an import) stays editable while that date is left as it is; a date to come
    newly typed is still refused beside its field (found while fixing the expertise's)."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    consultation = factories.ConsultationFactory(information_received_on=datetime.date(2025, 3, 3))
    response = factories.ManagementResponseFactory(
        consultation=consultation, received_on=datetime.date(2025, 5, 2)
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        opinion=Consultation.Opinion.FAVOURABLE, opinion_on=tomorrow
    )
    type(response).objects.filter(pk=response.pk).update(received_on=tomorrow)
    consultation.refresh_from_db()
    response.refresh_from_db()
    consultation.summary, response.text = "Résumé complété", "Texte complété"
    consultation.full_clean()
    response.full_clean()
    consultation.opinion_on += datetime.timedelta(days=1)
    response.received_on += datetime.timedelta(days=1)
    assert list(error_messages(consultation)) == ["opinion_on"]
    assert list(error_messages(response)) == ["received_on"]
    consultation.refresh_from_db()
    consultation.information_received_on = tomorrow
    assert "information_received_on" in error_messages(consultation)


def test_it_refuses_an_information_date_to_come():
    """T0 is the day the information was given (LEGAL.md trap 1): one to come is not yet T0."""
    consultation = factories.ConsultationFactory()
    consultation.information_received_on = timezone.localdate() + datetime.timedelta(days=1)
    assert "à venir" in error_messages(consultation)["information_received_on"][0]
    consultation.information_received_on = timezone.localdate()
    consultation.full_clean()


@pytest.mark.parametrize("opinion", ["favourable", "deemed_negative"])
def test_a_project_withdrawn_has_no_opinion(opinion):
    """Found by a union representative's QA pass: « Projet retiré » with an opinion was saved,
    the badge then said « Réponse en retard » and the withdrawal showed nowhere (the clock
    reads « retiré » as withdrawn before any opinion, LEGAL.md (b) 5)."""
    consultation = factories.ConsultationFactory(information_received_on=D(2025, 3, 3))
    consultation.status = Consultation.Status.WITHDRAWN
    consultation.opinion, consultation.opinion_on = opinion, D(2025, 4, 10)
    errors = error_messages(consultation)
    assert list(errors) == ["status"]
    assert errors["status"] == [
        "«\u00a0Projet retiré\u00a0» se dit d'un projet retiré avant l'avis du CSE\u00a0: "
        "effacez l'avis et sa date ou, si la direction a abandonné son projet après l'avis, "
        "choisissez «\u00a0Dossier clos\u00a0»."
    ]
    consultation.status = Consultation.Status.CLOSED
    consultation.full_clean()
    consultation.status = Consultation.Status.WITHDRAWN
    consultation.opinion, consultation.opinion_on = "", None
    consultation.full_clean()


def test_a_withdrawn_project_saved_with_an_opinion_before_the_rule_stays_editable():
    """Only the status or the opinion set or changed is checked: an old record holding both is
    still saved when something else changes."""
    consultation = factories.ConsultationFactory(information_received_on=D(2025, 3, 3))
    Consultation.objects.filter(pk=consultation.pk).update(
        status=Consultation.Status.WITHDRAWN,
        opinion=Consultation.Opinion.FAVOURABLE,
        opinion_on=D(2025, 3, 20),
    )
    consultation.refresh_from_db()
    consultation.summary = "Résumé complété"
    consultation.full_clean()
    consultation.opinion = Consultation.Opinion.UNFAVOURABLE
    assert list(error_messages(consultation)) == ["status"]


def test_it_refuses_an_appointing_vote_of_another_consultation():
    """Its day decides whether the expertise extends the period (found in review)."""
    expertise = factories.ExpertiseFactory()
    other = factories.ConsultationFactory(body=expertise.consultation.body)
    meeting = factories.MeetingFactory(body=other.body)
    expertise.appointing_vote = factories.VoteFactory(
        meeting=meeting, consultation=other, subject=Vote.Subject.APPOINT_EXPERT
    )
    assert error_messages(expertise)["appointing_vote"] == [
        "Ce vote porte sur une autre consultation."
    ]


def test_a_vote_shows_every_reason_it_is_refused_at_once():
    cse = factories.BodyFactory()
    cssct = factories.BodyFactory(
        organisation=cse.organisation, kind=Body.Kind.CSSCT, parent=cse, seats=3
    )
    future = timezone.localdate() + datetime.timedelta(days=3)
    vote = factories.VoteFactory.build(
        meeting=factories.MeetingFactory(body=cssct, held_on=future),
        consultation=factories.ConsultationFactory(body=cse),
        subject=Vote.Subject.OPINION,
    )
    messages = error_messages(vote)["subject"]
    assert len(messages) == 2 and "L2315-38" in messages[0] and "à venir" in messages[1]


def test_it_refuses_an_opinion_vote_at_a_meeting_before_the_information():
    consultation = factories.ConsultationFactory(information_received_on=datetime.date(2025, 3, 3))
    meeting = factories.MeetingFactory(body=consultation.body, held_on=datetime.date(2025, 2, 20))
    vote = factories.VoteFactory.build(
        meeting=meeting, consultation=consultation, subject=Vote.Subject.OPINION
    )
    assert "T0, le 3 mars 2025" in error_messages(vote)["subject"][0]
    vote.subject = Vote.Subject.MOTION  # a motion may come before: asking for the information
    vote.full_clean()


def test_it_refuses_to_move_the_information_after_a_meeting_that_voted_the_opinion():
    """The other way round: the opinion vote is recorded, then T0 is moved later."""
    consultation = factories.ConsultationFactory(information_received_on=datetime.date(2025, 3, 3))
    meeting = factories.MeetingFactory(body=consultation.body, held_on=datetime.date(2025, 3, 20))
    factories.VoteFactory(meeting=meeting, consultation=consultation, subject=Vote.Subject.OPINION)
    factories.VoteFactory(
        meeting=factories.MeetingFactory(body=consultation.body, held_on=datetime.date(2025, 3, 1)),
        consultation=consultation,
        subject=Vote.Subject.MOTION,  # a motion before T0 is no obstacle
    )
    consultation.information_received_on = datetime.date(2025, 3, 20)
    consultation.full_clean()  # the meeting's day itself: informed that day
    consultation.information_received_on = datetime.date(2025, 3, 21)
    message = error_messages(consultation)["information_received_on"][0]
    assert "La réunion du 20 mars 2025 a voté l'avis" in message


# --- Two-level consultations under an agreement ---------------------------------------------------


def two_level_bodies(central_days=None, establishment_days=None):
    organisation = factories.OrganisationFactory()
    central = factories.BodyFactory(
        organisation=organisation,
        kind=Body.Kind.CSE_CENTRAL,
        agreed_days_without_expert=central_days,
        agreed_days_with_expert=central_days and central_days * 2,
    )
    establishment = factories.BodyFactory(
        organisation=organisation,
        kind=Body.Kind.CSE_ESTABLISHMENT,
        parent=central,
        agreed_days_without_expert=establishment_days,
    )
    return central, establishment


def two_level(body):
    return factories.ConsultationFactory(
        body=body, two_level=True, information_received_on=D(2025, 3, 3)
    )


def test_an_establishment_counts_from_the_central_councils_agreement():
    """R2312-6 II: the establishment's opinion is due 7 days before the end of the central's
    period, which the central's agreement sets (L2312-16): 20 days from 3 March, the 23rd."""
    central, establishment = two_level_bodies(central_days=20)

    assert two_level(central).deadline().date == D(2025, 3, 23)
    deadline = two_level(establishment).deadline()
    assert deadline.date == D(2025, 3, 16)
    # The agreement displaces R2312-6 and may set this date too (LEGAL.md trap 4).
    assert "sauf autre délai fixé par l'accord" in explanation(deadline)


def test_an_establishments_own_agreement_does_not_set_the_central_period():
    """An agreement of its own would have the establishment's opinion due 8 days after T0,
    below the agreed 15-day floor: the central's legal month less 7 days holds."""
    _central, establishment = two_level_bodies(establishment_days=15)

    assert two_level(establishment).deadline().date == D(2025, 3, 27)


def test_a_new_central_agreement_moves_its_establishments_deadlines():
    central, establishment = two_level_bodies()
    consultation = two_level(establishment)
    consultation.refresh_from_db()
    assert consultation.deadline_on == D(2025, 3, 27)  # 3 April less 7 days

    central.agreed_days_without_expert = 20
    central.save()

    consultation.refresh_from_db()
    assert consultation.deadline_on == D(2025, 3, 16)


# --- Two-level consultations: the establishment counts from the central's information -----------


def test_an_establishment_counts_from_the_central_councils_information():
    """LEGAL.md (a) 3-4, R2312-6 II: the central's period runs from the central council's
    information (3 March: its last day 3 April), and the establishment's opinion is due 7 days
    before, on 27 March, even if the establishment got the information on 17 March. Counted
    from the establishment's own T0, the date came out two weeks late (10 April)."""
    central, establishment = two_level_bodies()
    consultation = factories.ConsultationFactory(
        body=establishment,
        two_level=True,
        information_received_on=D(2025, 3, 17),
        central_information_received_on=D(2025, 3, 3),
    )
    consultation.full_clean()
    deadline = consultation.deadline()
    assert deadline.date == D(2025, 3, 27)
    assert "1 mois à compter du 3 mars 2025" in explanation(deadline)
    consultation.refresh_from_db()
    assert consultation.deadline_on == D(2025, 3, 27)  # the stored date the lists read


def test_an_establishment_without_the_central_date_says_what_it_counts_from():
    _central, establishment = two_level_bodies()
    deadline = two_level(establishment).deadline()
    assert deadline.date == D(2025, 3, 27)  # 3 April less 7 days, from its own T0
    assert "compté de la remise des informations au CSE d'établissement" in explanation(deadline)


def test_an_establishments_expertise_counts_from_the_central_information_too():
    """An expertise voted at either level gives the central 3 months from its T0 (R2312-6 I
    §3): 3 June, the establishment's opinion due 27 May."""
    _central, establishment = two_level_bodies()
    consultation = factories.ConsultationFactory(
        body=establishment,
        two_level=True,
        information_received_on=D(2025, 3, 17),
        central_information_received_on=D(2025, 3, 3),
    )
    factories.ExpertiseFactory(consultation=consultation, designated_on=D(2025, 3, 20))
    consultation.refresh_from_db()
    assert consultation.deadline().date == D(2025, 5, 27)


@pytest.mark.parametrize(
    "body_kind, two_level_flag",
    [(Body.Kind.CSE_CENTRAL, True), (Body.Kind.CSE_ESTABLISHMENT, False)],
)
def test_only_an_establishments_two_level_side_takes_the_central_date(body_kind, two_level_flag):
    central, establishment = two_level_bodies()
    consultation = factories.ConsultationFactory(
        body=central if body_kind == Body.Kind.CSE_CENTRAL else establishment,
        two_level=two_level_flag,
        information_received_on=D(2025, 3, 3),
        central_information_received_on=D(2025, 3, 3),
    )
    message = error_messages(consultation)["central_information_received_on"][0]
    assert "Seule la consultation d'un CSE d'établissement, à deux niveaux" in message


def test_the_central_date_is_not_one_to_come():
    _central, establishment = two_level_bodies()
    consultation = two_level(establishment)
    consultation.central_information_received_on = timezone.localdate() + datetime.timedelta(1)
    message = error_messages(consultation)["central_information_received_on"][0]
    assert "à venir" in message


def test_the_establishment_opinions_are_not_transmitted_on_a_day_to_come():
    """Found by a union representative's QA pass: a date to come was saved, and the page said
    « Transmis le 27 novembre 2026 »."""
    central, _establishment = two_level_bodies()
    consultation = two_level(central)
    tomorrow = timezone.localdate() + datetime.timedelta(1)
    consultation.establishment_opinions_received_on = tomorrow
    assert error_messages(consultation) == {
        "establishment_opinions_received_on": [
            f"Les avis des CSE d'établissement sont datés du {long_date(tomorrow)}, à venir\u00a0: "
            "la date se consigne une fois le dernier avis transmis."
        ]
    }
    consultation.establishment_opinions_received_on = timezone.localdate()
    consultation.full_clean()


@pytest.mark.parametrize(
    "field", ["central_information_received_on", "establishment_opinions_received_on"]
)
def test_a_two_level_date_to_come_saved_before_the_rule_is_refused_only_when_changed(field):
    """As T0 and the opinion (fields.future_dates_set): an old record holding a date to come
    stays editable while that date is left as it is."""
    central, establishment = two_level_bodies()
    side = establishment if field == "central_information_received_on" else central
    consultation = two_level(side)
    tomorrow = timezone.localdate() + datetime.timedelta(1)
    Consultation.objects.filter(pk=consultation.pk).update(**{field: tomorrow})
    consultation.refresh_from_db()
    consultation.summary = "Résumé complété"
    consultation.full_clean()
    setattr(consultation, field, tomorrow + datetime.timedelta(1))
    assert "à venir" in error_messages(consultation)[field][0]


# --- Records stay with their organisation -----------------------------------------------------


def test_a_consultation_never_moves_to_another_organisation():
    """Its meetings, votes and motions are its organisation's councils', its internal notes
    and documents for that organisation's members alone (found by the editor's QA pass)."""
    consultation = factories.ConsultationFactory()
    elsewhere = factories.BodyFactory()
    consultation.deployment = factories.DeploymentFactory(organisation=elsewhere.organisation)
    organisation = consultation.body.organisation
    consultation.body = elsewhere
    message = error_messages(consultation)["body"][0]
    assert "ne peut pas passer à une instance d'une autre organisation" in message
    assert organisation.name in message
    # Another council of the same organisation is no move.
    consultation.refresh_from_db()
    consultation.body = factories.BodyFactory(organisation=consultation.body.organisation)
    consultation.full_clean()


def test_an_ai_system_consulted_on_stays_with_its_organisation():
    deployment = factories.DeploymentFactory()
    other = factories.OrganisationFactory()
    deployment.organisation = other
    deployment.full_clean()  # no consultation yet: a slip can still be mended
    deployment.refresh_from_db()
    factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=deployment.organisation), deployment=deployment
    )
    deployment.organisation = other
    message = error_messages(deployment)["organisation"][0]
    assert "a fait l'objet de consultations" in message


def test_a_council_that_met_or_was_consulted_stays_with_its_organisation():
    body = factories.BodyFactory()
    other = factories.OrganisationFactory()
    body.organisation = other
    body.full_clean()  # nothing recorded yet: a slip can still be mended
    body.refresh_from_db()
    factories.MeetingFactory(body=body)
    body.organisation = other
    assert "elle reste à son organisation" in error_messages(body)["organisation"][0]


def test_a_duplicate_ai_system_name_is_said_beside_the_name():
    deployment = factories.DeploymentFactory(name="Analyse des appels")
    twin = factories.DeploymentFactory.build(
        organisation=deployment.organisation, name="Analyse des appels"
    )
    errors = error_messages(twin)
    assert list(errors) == ["name"]
    assert "Un système d'IA de ce nom est déjà décrit" in errors["name"][0]
    deployment.full_clean()  # itself is no duplicate


# --- The same record sent twice -----------------------------------------------------------------


def test_the_same_consultation_opened_twice_is_refused():
    """Found by the editor's QA pass: a form sent again opened a second consultation."""
    first = factories.ConsultationFactory(title="Projet d'analyse des appels")
    twin = factories.ConsultationFactory.build(
        body=first.body, deployment=first.deployment, title="projet d'analyse des appels"
    )
    assert "Une consultation de ce titre est déjà ouverte" in error_messages(twin)["title"][0]
    twin.title = "Projet d'analyse des appels, phase 2"
    twin.full_clean()
    first.full_clean()  # itself is no duplicate
    # A project withdrawn and brought back keeps its title.
    first.status = Consultation.Status.WITHDRAWN
    first.save()
    twin.title = "Projet d'analyse des appels"
    twin.full_clean()


def test_the_same_expertise_recorded_twice_is_refused():
    consultation = factories.ConsultationFactory(information_received_on=D(2025, 3, 3))
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 10))
    vote = factories.VoteFactory(
        meeting=meeting,
        consultation=consultation,
        subject=Vote.Subject.APPOINT_EXPERT,
        votes_for=9,
        voting_members_present=9,
    )
    first = factories.ExpertiseFactory(consultation=consultation, appointing_vote=vote)
    twin = factories.ExpertiseFactory.build(consultation=consultation, appointing_vote=vote)
    assert "déjà enregistrée pour ce vote" in error_messages(twin)["appointing_vote"][0]
    first.full_clean()
    unvoted = factories.ExpertiseFactory(consultation=consultation, expert_firm="Secafi")
    twin = factories.ExpertiseFactory.build(consultation=consultation, expert_firm="SECAFI")
    assert "même cabinet, même motif" in error_messages(twin)["expert_firm"][0]
    twin.designated_on = D(2025, 3, 20)  # another designation: another expertise
    twin.full_clean()
    twin.designated_on, twin.ground = unvoted.designated_on, Expertise.Ground.SERIOUS_RISK
    twin.full_clean()  # the same firm, the same day, on another ground: another expertise
    unvoted.full_clean()
    # A pair recorded before the rule stays editable (the admin checks every row it shows).
    old_twin = factories.ExpertiseFactory(consultation=consultation, appointing_vote=vote)
    old_twin.full_clean()


def test_the_same_document_filed_twice_is_refused():
    document = factories.DocumentFactory(title="Note d'information", dated_on=D(2025, 3, 3))
    twin = factories.DocumentFactory.build(
        consultation=document.consultation, title="Note d'information", dated_on=D(2025, 3, 3)
    )
    assert "déjà déposé pour cette consultation" in error_messages(twin)["title"][0]
    twin.dated_on = D(2025, 4, 3)  # the note of another day
    twin.full_clean(exclude=["file"])
    document.full_clean(exclude=["file"])
