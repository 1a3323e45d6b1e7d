"""Pages anyone may read, without signing in; members see their internal records there too."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..cache import cached_public_page, keep_out_of_the_cache
from ..filters import DeploymentFilter, PublicTimelineFilter
from ..links import query_without_sort
from ..models import (
    Body,
    Clock,
    Consultation,
    Deployment,
    Meeting,
    Motion,
    Organisation,
    Vote,
)
from ..models.response import motions_without_answer
from ..timeline import PUBLIC_KINDS, consultation_timeline, timeline_entries
from ..wording import long_date
from .access import can_edit, is_editor_somewhere

ENTRIES_PER_PAGE = 30
MAX_PAGE = 100_000  # a larger number is a typo or an attack; the paginator shows the last page


class EntryCount:
    """A stand-in list for the paginator: the count is known, the page comes from the database."""

    def __init__(self, total):
        self.total = total

    def __len__(self):
        return self.total

    def count(self):
        return self.total

    def __getitem__(self, index):
        return []


def filtered_timeline(request, *, limit, page_number=1, until=None):
    """The published timeline with the request's filters: (filterset, page, entries).

    The page is cut in the database; a page number out of range shows the nearest page.
    ``until``: no entry after this day, whatever the filter's end (the Atom feed: what has
    happened).
    """
    filterset = PublicTimelineFilter(
        request.GET or None, queryset=Consultation.objects.published(), kinds=PUBLIC_KINDS
    )
    options = filterset.entry_options()
    if until is not None:
        options["end"] = min(options["end"] or until, until)
    # Without a filter on the consultations, the index's public rows are the published ones.
    consultations = filterset.qs if filterset.narrows_consultations() else None
    try:
        number = min(max(int(page_number or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1

    def fetch(number):
        offset = (number - 1) * limit
        return timeline_entries(consultations, public=True, offset=offset, limit=limit, **options)

    result = fetch(number)
    page = Paginator(EntryCount(result.total), limit).get_page(number)
    if page.number != number:
        result = fetch(page.number)
    return filterset, page, result.entries


@cached_public_page(parameters=[*PublicTimelineFilter.base_filters, "page"])
def timeline(request):
    """The public timeline: what the councils decided and how management answered, newest first."""
    filterset, page, entries = filtered_timeline(
        request, limit=ENTRIES_PER_PAGE, page_number=request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.paginator.num_pages > 1,
        "timeline": entries,
        "query_without_page": query.urlencode(),
        "feed_query": applied_query(query, filterset),
    }
    response = render(request, "consultations/public_timeline.html", context)
    return response if shown_as_asked(request, filterset, page) else keep_out_of_the_cache(response)


def applied_query(query, filterset) -> str:
    """``query`` without the filters the page left aside (an invalid value, reversed dates): the
    Atom feed's link applies what the page applies, as the feed refuses what it cannot apply."""
    query = query.copy()
    applied = filterset.applied_data()
    for name in filterset.form.fields:
        if name not in applied:
            query.pop(name, None)
    return query.urlencode()


def shown_as_asked(request, filterset, page) -> bool:
    """Whether the page shows what its query asked: filters accepted, page number as given (a
    page number the paginator corrected, or a filter refused, is not stored in the cache)."""
    asked = request.GET.get("page")
    valid = not filterset.is_bound or filterset.is_valid()
    return valid and asked in (None, "", str(page.number))


def consultation_page_queryset():
    """What a consultation page shows, in a fixed number of queries whatever the size: the
    clock's facts, the votes, the motions, the demands, the documents, the events, and the
    system's other consultations (its red flags read them). The timeline comes from the index."""
    return Consultation.objects.with_clock_facts().prefetch_related(
        Prefetch(
            "votes",
            queryset=Vote.objects.with_on_agenda().select_related("meeting__body", "motion"),
        ),
        Prefetch(
            "motions",
            queryset=Motion.objects.select_related(
                "adopting_vote__meeting__body"
            ).with_decision_facts(),
        ),
        "responses_fetched__motions",  # the answers with_clock_facts() fetched
        "demands",
        "documents",
        "events",
        Deployment.prefetch_flag_consultations("deployment__consultations"),
    )


def no_expertise_note(consultation, deadline, today=None) -> str:
    """What the page says where no expertise is recorded: what an expert would do to the period,
    as it stands. An agreement sets the periods, the expert's extension included (L2312-16,
    LEGAL.md trap 4): with one period only, an expert extends nothing. Once an opinion is
    recorded or the period has ended, a vote for an expert extends nothing either (R2312-6,
    Consultation._expertise_extends). An establishment council's opinion is due 7 days before
    the end of the central council's period (R2312-6 II). A matter the council is only informed
    of has no period (Consultation.is_information_only)."""
    today = today or timezone.localdate()
    vote = adopted_expert_vote(consultation)
    if vote is not None and not consultation.is_information_only:
        return _("Pas d'expertise enregistrée.") + " " + expert_vote_note(consultation, vote)
    if consultation.opinion or consultation.is_information_only:  # no period to extend
        return _("Pas d'expertise.")
    if deadline and deadline.date < today:
        return _(
            "Pas d'expertise. Le délai d'avis a pris fin le %(date)s : une expertise votée "
            "désormais ne le prolongerait pas (R2312-6)."
        ) % {"date": long_date(deadline.date)}
    note = _expert_effect(consultation)
    if consultation.two_level and consultation.is_establishments_side:
        note += " " + _(
            "Ce CSE d'établissement rend son avis 7 jours avant la fin du délai du CSE central "
            "(R2312-6 II)."
        )
    return note


def adopted_expert_vote(consultation):
    """The first adopted vote appointing an expert while no expertise is recorded, or None."""
    if consultation.fetched("expertises"):
        return None
    return next((vote for vote in consultation.expert_votes() if vote.adopted), None)


def expert_vote_note(consultation, vote) -> str:
    """What an adopted vote for an expert, with no expertise recorded, did to the period, as
    the period counted it (Consultation._expert_vote_extends): the readers' note and the
    editors' reminder say the same."""
    extends, too_late, _annulled = consultation.expertise_decision()
    body = consultation.agreement_body
    values = {"date": long_date(vote.meeting.held_on)}
    if too_late:
        note = _(
            "Le CSE a voté le recours à un expert le %(date)s, après la fin du délai d'avis : "
            "ce vote ne le prolonge pas (R2312-6)."
        )
    elif body.agreed_days_with_expert is None and body.agreed_days_without_expert is not None:
        note = _(
            "Le CSE a voté le recours à un expert le %(date)s ; le délai d'avis fixé par accord "
            "n'en est pas prolongé (L2312-16)."
        )
    elif extends:
        note = _(
            "Le CSE a voté le recours à un expert le %(date)s : le délai d'avis est celui d'une "
            "consultation avec expertise (R2312-6)."
        )
    else:
        note = _("Le CSE a voté le recours à un expert le %(date)s.")
    return note % values


def _expert_effect(consultation) -> str:
    """What an expert does, or did at the other level, to the period (no_expertise_note)."""
    body = consultation.agreement_body
    with_expert, without = body.agreed_days_with_expert, body.agreed_days_without_expert
    if with_expert is None and without is not None:  # agreed without an expert: it holds with one
        return _(
            "Pas d'expertise. L'accord fixe un délai d'avis de %(days)s jours, qu'une expertise "
            "ne prolonge pas (L2312-16)."
        ) % {"days": without}
    if consultation.two_level and consultation.expertise_at_other_level:
        if with_expert is not None:
            return _(
                "Pas d'expertise enregistrée sur cette consultation ; avec celle votée à l'autre "
                "niveau, le délai d'avis est de %(days)s jours, comme l'accord le fixe "
                "(L2312-16)."
            ) % {"days": with_expert}
        return _(
            "Pas d'expertise enregistrée sur cette consultation ; celle votée à l'autre niveau "
            "porte le délai à trois mois, sauf délai fixé par accord (R2312-6 II)."
        )
    if with_expert is not None:
        return _(
            "Pas d'expertise. Le CSE peut voter le recours à un expert habilité (L2315-94) : le "
            "délai d'avis est alors de %(days)s jours, comme l'accord le fixe (L2312-16)."
        ) % {"days": with_expert}
    if consultation.two_level:
        return _(
            "Pas d'expertise. Un CSE, à l'un ou l'autre niveau, peut voter le recours à un "
            "expert habilité (L2315-94) : le délai passe alors à trois mois, la consultation se "
            "tenant à deux niveaux, sauf délai fixé par accord (R2312-6 II)."
        )
    return _(
        "Pas d'expertise. Le CSE peut voter le recours à un expert habilité (L2315-94) : le "
        "délai passe alors à deux mois."
    )


def late_agendas(votes):
    """(meeting, the agenda's due date) of each meeting whose votes the page lists and whose
    agenda went out late (Meeting.late_agenda), in meeting order; for members only."""
    meetings = {vote.meeting_id: vote.meeting for vote in votes}
    late = ((meeting, meeting.late_agenda()) for meeting in meetings.values())
    return [(meeting, due) for meeting, due in late if due is not None]


def late_minutes(meetings):
    """(meeting, the minutes' due date) of each meeting listed (meetings_listed()) whose minutes
    went out late (Meeting.late_minutes), in meeting order; for members only. The next meeting,
    which may bring the due date forward, comes with the meetings listed: no query more."""
    late = ((meeting, meeting.late_minutes()) for meeting, _steps in meetings)
    return [(meeting, due) for meeting, due in late if due is not None]


def meetings_listed(consultation, today=None):
    """(meeting, its agenda and minutes steps) of each meeting of the consultation, for its
    members: the minutes go out days after the meeting (L2315-34), and the page says what is
    still due and where to record it."""
    today = today or timezone.localdate()
    meetings = (
        Meeting.objects.with_next_meeting().listed_with(consultation).defer("agenda", "notes")
    )
    return [(meeting, meeting.steps(on=today)) for meeting in meetings]


def votes_to_record(consultation, votes):
    """What the council's votes decided that the consultation does not record yet, for its
    editors: the first expert appointed by vote while no expertise is entered (the period counts
    the vote, Consultation._expert_vote_extends, but the expert's steps and the employer's time
    to contest need the expertise), the last opinion voted while none is."""
    opinion_votes = [vote for vote in votes if vote.is_on_opinion and vote.result]
    appointment = adopted_expert_vote(consultation)
    return {
        "unrecorded_appointment": appointment,
        "unrecorded_appointment_note": expert_vote_note(consultation, appointment)
        if appointment
        else "",
        "unrecorded_opinion": opinion_votes[-1]
        if opinion_votes and not consultation.opinion
        else None,
    }


@cached_public_page
def consultation_detail(request, pk):
    """One consultation: members of its organisation see everything; anyone else sees a
    published consultation with its public items only, and a 404 for an internal one."""
    queryset = consultation_page_queryset()
    member = Consultation.objects.visible_to(request.user).filter(pk=pk).exists()
    if not member:
        queryset = queryset.published()
    try:
        consultation = queryset.get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404 from None
    public = not member
    motions = [
        motion
        for motion in consultation.motions.all()
        if not public or (motion.published and motion.adopted_on)
    ]
    for motion in motions:
        # Management's decision on each proposal (L2315-34), which its card shows.
        motion.decision_shown = motion.decision(consultation.fetched("responses"))
    documents = [
        document
        for document in consultation.documents.all()
        if not (public and document.confidential)
    ]
    votes = consultation.votes_shown(public=public)
    editable = member and can_edit(request.user, consultation)
    deadline = consultation.deadline()
    meetings = [] if public else meetings_listed(consultation)
    context = {
        "consultation": consultation,
        "public": public,
        "can_edit": editable,
        **(votes_to_record(consultation, votes) if editable else {}),
        # Members are warned of a vote that may be annulled; the public is not (Vote.off_agenda).
        "off_agenda": [] if public else [vote for vote in votes if not vote.on_agenda],
        "late_agendas": [] if public else late_agendas(votes),
        "meetings": meetings,
        "late_minutes": late_minutes(meetings),
        "clock": consultation.clock_state(),
        "deemed_negative": Consultation.Opinion.DEEMED_NEGATIVE,
        "deadline": deadline,
        "opinion_after_deadline": consultation.opinion_after(deadline),
        # From the votes prefetched: no query more.
        "opinion_without_vote": "" if public else consultation.opinion_without_vote_warning(),
        "no_expertise_note": no_expertise_note(consultation, deadline),
        "paused_since": None if deadline else consultation.paused_since(),
        "establishment_due": consultation.establishment_opinion_due(),
        "answer_due": consultation.answer_due(),
        "flags": consultation.deployment.red_flags(),
        "timeline": consultation_timeline(consultation, public=public),
        "expertises": consultation.fetched("expertises"),
        "votes": votes,
        "motions": motions,
        "registers": motion_registers(consultation, motions),
        "responses": answered_motions(consultation, motions),
        "unanswered_motions": motions_without_answer(
            motions, consultation.fetched("responses"), opinion_answered=consultation.answered
        ),
        "demands": consultation.demands.all(),
        "documents": documents,
        "events": consultation.events_shown(public=public),
    }
    return render(request, "consultations/consultation_detail.html", context)


def answered_motions(consultation, motions):
    """(response, the motions it answers among those the page shows) of each answer."""
    return [
        (response, response.answers_among(motions))
        for response in consultation.fetched("responses")
    ]


def motion_registers(consultation, motions):
    """(url, year, body) of each yearly register of motions (exports.register_pdf) that holds
    one of the adopted ``motions`` shown: its body's register of the year it was adopted."""
    keys = sorted({(motion.year, motion.body_id) for motion in motions if motion.year})
    bodies = {consultation.body_id: consultation.body}
    others = {body_id for _year, body_id in keys} - set(bodies)
    if others:
        bodies.update(Body.objects.in_bulk(others))
    return [
        (reverse("consultations:register-pdf", args=[body_id, year]), year, bodies[body_id])
        for year, body_id in keys
    ]


# --- The register of AI systems -------------------------------------------------------------


def visible_deployments(user):
    """Members see their organisations' systems; everyone sees those with a published
    consultation."""
    if not user.is_authenticated:
        return Deployment.objects.published()
    members = Deployment.objects.visible_to(user)
    return Deployment.objects.filter(
        Q(pk__in=members.values("pk")) | Q(pk__in=Deployment.objects.published().values("pk"))
    )


def consultations_shown(user):
    """The consultations listed under a system: the user's own, and the published ones."""
    return (
        Consultation.objects.filter(
            Q(pk__in=Consultation.objects.visible_to(user).values("pk"))
            | Q(visibility=Consultation.Visibility.PUBLIC)
        )
        .with_clock_state()
        .select_related("body")
    )


def deployment_register(request):
    """The filtered register: (filterset, queryset of deployments in register order)."""
    deployments = visible_deployments(request.user)
    organisations = Organisation.objects.filter(
        Exists(deployments.filter(organisation=OuterRef("pk")))
    )
    filterset = DeploymentFilter(
        request.GET or None, queryset=deployments, organisations=organisations
    )
    queryset = filterset.qs if filterset.is_bound else deployments
    if not queryset.query.order_by:  # no sort chosen (filters.SortFilter): the register's order
        queryset = queryset.order_by("organisation__name", "name", "pk")
    return filterset, queryset.select_related("organisation")


def register_rows(request, deployments):
    """(deployment, flags, latest consultation, its clock state) for the given deployments only:
    the flags are computed in Python, so only for the page shown (or the export)."""
    deployments = deployments.prefetch_related(
        Prefetch(
            "consultations",
            queryset=consultations_shown(request.user).order_by("-information_received_on"),
        ),
        Deployment.prefetch_flag_consultations(),
    )
    rows = []
    for deployment in deployments:
        consultations = list(deployment.consultations.all())
        latest = consultations[0] if consultations else None
        rows.append(
            (deployment, deployment.red_flags(), latest, Clock(latest.clock) if latest else None)
        )
    return rows


@cached_public_page(parameters=[*DeploymentFilter.base_filters, "page"])
def deployment_list(request):
    filterset, deployments = deployment_register(request)
    paginator = Paginator(deployments, 50)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "rows": register_rows(request, page.object_list),
        "page_obj": page,
        "paginator": paginator,
        "is_paginated": paginator.num_pages > 1,
        "query_without_page": query.urlencode(),
        "query_without_sort": query_without_sort(query),
        "is_editor": is_editor_somewhere(request.user),
    }
    response = render(request, "consultations/deployment_list.html", context)
    return response if shown_as_asked(request, filterset, page) else keep_out_of_the_cache(response)


@cached_public_page
def deployment_detail(request, pk):
    try:
        deployment = (
            visible_deployments(request.user)
            .select_related("organisation")
            .prefetch_related(
                Prefetch(
                    "consultations",
                    queryset=consultations_shown(request.user).order_by("information_received_on"),
                ),
                Deployment.prefetch_flag_consultations(),
            )
            .get(pk=pk)
        )
    except Deployment.DoesNotExist:
        raise Http404 from None
    member = Deployment.objects.visible_to(request.user).filter(pk=pk).exists()
    rows = [(c, Clock(c.clock)) for c in deployment.consultations.all()]
    context = {
        "deployment": deployment,
        "public": not member,
        "can_edit": member and can_edit(request.user, deployment),
        "flags": deployment.red_flags(),
        "consultations": rows,
    }
    return render(request, "consultations/deployment_detail.html", context)
