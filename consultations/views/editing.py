"""The representatives' editing pages: AI systems, consultations, meetings and their votes (then
a meeting's own facts: its minutes come later), expertises, management's answers, demands,
documents.

Access (views/access.py): login required; a record of another organisation answers 404, a record
the user may only read answers 403. Each page redirects to the consultation after a save (a
meeting's, to the page that led there when it is one of this site's).
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ..forms import (
    ConsultationEditForm,
    DemandFormSet,
    DeploymentEditForm,
    DocumentUploadForm,
    ExpertiseEditForm,
    MeetingEditForm,
    MeetingLogForm,
    ResponseEditForm,
    VoteFormSet,
)
from ..models import Body, Consultation, Deployment, Expertise, Meeting, Vote
from ..wording import long_date, quoted, written_date
from .access import get_editable, is_editor_somewhere

TEMPLATES = "consultations/forms/"

require_get_or_post = require_http_methods(["GET", "POST"])


def consultation_url(consultation):
    return reverse("consultations:consultation-detail", args=[consultation.pk])


def editable_consultation(request, pk):
    return get_editable(
        Consultation.objects.select_related("body__organisation", "deployment"), request.user, pk
    )


def require_editor(user):
    """A page that creates a record for one of the user's organisations: readers get 403."""
    if not is_editor_somewhere(user):
        raise PermissionDenied


def error_summary(*sections):
    """The errors of several forms for the summary at the top of a page.

    ``sections`` are (heading, form) pairs; the heading names the part of the page (e.g. "Vote 2")
    or is empty. Each entry links to its field.
    """
    entries = []
    for heading, form in sections:
        if not form.is_bound or not form.errors:
            continue
        errors_by_field = form.errors.as_data()
        order = page_order(form)
        for name in sorted(errors_by_field, key=lambda name: order.index(name)):
            errors = errors_by_field[name]
            field = form[name] if name != NON_FIELD_ERRORS else None
            for error in errors:
                entries.append(
                    {
                        "heading": heading,
                        "label": field.label if field else "",
                        "message": error_message(error),
                        "anchor": field_anchor(field) if field else "",
                        "code": error.code,
                    }
                )
    return entries


def page_order(form) -> list:
    """The names of ``form``'s fields in the order the page shows them (its layout's, which may
    differ from the form's), after the errors of no field: the summary lists errors in the
    order the user meets them on the page, not in the order the checks ran."""
    layout = getattr(getattr(form, "helper", None), "layout", None)
    shown = [pointer.name for pointer in layout.get_field_names()] if layout else []
    return [NON_FIELD_ERRORS, *shown, *(name for name in form.fields if name not in shown)]


def error_message(error) -> str:
    """The message of one error of ``as_data()``; one holding a link (a SafeString, e.g. to the
    admin's page of a meeting already logged) stays HTML."""
    messages = list(error)
    return messages[0] if len(messages) == 1 else " ".join(messages)


def field_anchor(field) -> str:
    """The id a summary's link leads to: the field's, or for a list of radio buttons (which has
    no single input to label) its first button's."""
    if field.id_for_label:
        return field.id_for_label
    return f"{field.auto_id}_0" if field.auto_id else ""


def render_form(request, template, context, status=200):
    # Every error is in the page's summary (error_summary): the forms do not repeat theirs
    # (templates/bootstrap5/errors.html).
    context = {**context, "non_field_errors_in_summary": True}
    return render(request, TEMPLATES + template, context, status=status)


# --- AI systems ------------------------------------------------------------------------------------


@login_required
@require_get_or_post
def deployment_form(request, pk=None):
    if pk is None:
        require_editor(request.user)
        deployment = Deployment()
    else:
        deployment = get_editable(Deployment.objects.all(), request.user, pk)
    form = DeploymentEditForm(request.POST or None, instance=deployment, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            deployment = form.save()
        messages.success(
            request,
            _("Le système d'IA « %(name)s » est enregistré.") % {"name": deployment.name},
        )
        if pk is None and request.GET.get("then") == "consultation":
            # Described from the consultation form: back to it, with this system chosen.
            return redirect(_back_to_draft(request, deployment))
        return redirect("consultations:deployment-detail", deployment.pk)
    from_consultation = pk is None and request.GET.get("then") == "consultation"
    context = {
        "form": form,
        "deployment": deployment,
        "creating": pk is None,
        "errors": error_summary(("", form)),
        # Cancelling leads back to the consultation form being filled in, as it was typed.
        "cancel_url": _back_to_draft(request) if from_consultation else None,
    }
    return render_form(request, "deployment_form.html", context)


# --- Consultations ---------------------------------------------------------------------------------


# The consultation form as it was typed, kept in the session while its user describes a
# missing AI system ("Décrivez-le…"), and shown again on the way back only: when the AI system
# form returns to it (``?deployment=`` once saved, ``?draft=1`` when cancelled). A save of the
# consultation form drops it.
DRAFT_KEY = "vigie-consultation-draft"
DESCRIBE_SYSTEM = "describe_system"


def _keep_draft(request):
    data = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", DESCRIBE_SYSTEM)
    }
    request.session[DRAFT_KEY] = {"path": request.path, "data": data}


def _back_to_draft(request, deployment=None):
    """The consultation form the user left to describe a system (the new consultation's form
    when none was kept), with the system just described, or marked to show the draft again."""
    draft = request.session.get(DRAFT_KEY)
    path = draft.get("path") if isinstance(draft, dict) else None
    path = path or reverse("consultations:consultation-create")
    return f"{path}?deployment={deployment.pk}" if deployment else f"{path}?draft=1"


def _restore_draft(request, form) -> bool:
    """Show the draft kept for this form, once, as the form's initial values: each field
    reads it as its widget reads a submitted form (a list for the legal bases, an unchecked box
    absent). Only on the way back from the AI system form."""
    if not ("deployment" in request.GET or request.GET.get("draft")):
        return False
    draft = request.session.get(DRAFT_KEY)
    if not isinstance(draft, dict) or draft.get("path") != request.path:
        return False
    del request.session[DRAFT_KEY]
    data = QueryDict(mutable=True)
    for name, values in (draft.get("data") or {}).items():
        data.setlist(name, [str(value) for value in values])
    for name, field in form.fields.items():
        value = field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        if value is not None:
            form.initial[name] = value
    return True


def _prefill_deployment(request):
    """``?deployment=<id>``: the AI system to consult on, if the user may edit it."""
    value = request.GET.get("deployment", "")
    if not value:
        return None
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if not (value.isascii() and value.isdigit()):
        raise Http404
    return get_editable(Deployment.objects.all(), request.user, int(value))


@login_required
@require_get_or_post
def consultation_form(request, pk=None):
    if pk is None:
        require_editor(request.user)
        consultation = Consultation()
    else:
        consultation = editable_consultation(request, pk)
    deployment = _prefill_deployment(request)  # 404 for a system the user may not edit
    if request.method == "POST" and DESCRIBE_SYSTEM in request.POST:
        _keep_draft(request)
        return redirect(reverse("consultations:deployment-create") + "?then=consultation")
    # The page's heading names the record as saved: the form writes what was typed into its
    # instance (found by an editor's QA pass: a save refused for an edit made meanwhile showed
    # the title as it was before that edit, though the message gave the one saved since).
    saved = copy.copy(consultation)
    form = ConsultationEditForm(request.POST or None, instance=consultation, user=request.user)
    if request.method == "GET":
        if _restore_draft(request, form):
            messages.info(request, _("Votre saisie est reprise : vérifiez-la, puis enregistrez."))
        if deployment:
            form.initial["deployment"] = deployment.pk
            bodies = list(
                Body.objects.filter(organisation=deployment.organisation).able_to_give_opinions()
            )
            if len(bodies) == 1 and not form.initial.get("body"):
                form.initial["body"] = bodies[0].pk
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            consultation = form.save()
        request.session.pop(DRAFT_KEY, None)
        messages.success(request, _("La consultation est enregistrée."))
        warn_of_the_opinion(request, consultation)
        if pk is not None and "information_received_on" in form.changed_data:
            # T0 moved after some of its votes' meetings: warned, as the admin does
            # (VoteWarningsMixin). Moved after the vote on the opinion, it is refused beside
            # the field (Consultation.clean), as that vote is before T0 (Vote.clean).
            warn_of_votes_before_information(request, consultation.votes.all())
        return redirect(consultation_url(consultation))
    context = {
        "form": form,
        "consultation": saved,
        "creating": pk is None,
        "errors": error_summary(("", form)),
    }
    return render_form(request, "consultation_form.html", context)


# --- Meetings, votes and motions -------------------------------------------------------------------


def lock(consultation):
    """Lock the consultation's row until the transaction ends: a second send of a form (a
    double click) waits here, then finds what the first recorded and is refused."""
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()


class _Rollback(Exception):
    """Something failed once the records met the database: undo everything."""


def _record_votes(meeting, consultation, formset) -> bool:
    """Save each filled vote (and its motion) of the meeting; False if a model refused one."""
    ok = True
    for form in formset.forms:
        if not form.has_changed() or form.errors:
            continue
        vote = form.save(commit=False)
        vote.meeting = meeting
        vote.consultation = consultation
        try:
            # Again with the meeting saved (the form checked the vote with the meeting typed).
            vote.full_clean()
        except ValidationError as error:
            form.add_model_error(error)
            ok = False
            continue
        vote.save()
        if form.opinion_voted and not _record_opinion(form, vote, consultation):
            ok = False
            continue
        if not form.has_motion:
            continue
        if not vote.adopted:
            form.add_error("motion_title", form.not_adopted(vote))
            ok = False
            continue
        motion = form.build_motion(vote)
        try:
            motion.full_clean()
        except ValidationError as error:
            form.add_motion_error(error)
            ok = False
            continue
        motion.save()
    return ok


def warn_of_the_opinion(request, consultation):
    """What the opinion saved calls for (Consultation.opinion_warnings: given after the period,
    recorded without a vote on it), as the admin says it (found by a union representative's QA
    pass: a late opinion was saved with the success message alone, and a green « Avis rendu »)."""
    consultation = Consultation.objects.with_clock_facts().get(pk=consultation.pk)
    for warning in consultation.opinion_warnings():
        messages.warning(request, warning)


def _record_opinion(form, vote, consultation) -> bool:
    """The opinion ``vote`` adopts (the form's ``opinion``), recorded on the consultation as
    given on the meeting's day: the council's opinion is the resolution voted at the meeting
    (L2315-32). False, with the reason beside the field, when it cannot be: another vote of
    the same meeting gave one first, or the consultation refuses it (Consultation.clean)."""
    error = form.opinion_errors(consultation)
    if not error:
        consultation.opinion, consultation.opinion_on = form.opinion_voted, vote.meeting.held_on
        try:
            consultation.full_clean()
        except ValidationError as caught:
            error = " ".join(caught.messages)
    if error:
        form.add_error("opinion", error)
        return False
    consultation.save()
    return True


@login_required
@require_get_or_post
def meeting_log(request, pk):
    """Record a meeting, its votes and the motions they adopt: one page, one submit."""
    consultation = editable_consultation(request, pk)
    data = request.POST or None
    meeting_form = MeetingLogForm(
        data,
        consultation=consultation,
        user=request.user,
        initial={"held_on": timezone.localdate()},
    )
    formset = VoteFormSet(data, prefix="votes", form_kwargs={"consultation": consultation})
    if request.method == "POST":
        meeting_valid = meeting_form.is_valid()
        # Each vote is checked against the meeting typed above it, not yet saved: its body's
        # seats, its day. Checked only once the meeting was saved, the voters beyond the seats
        # were said at the second send, after the vote's other errors.
        for form in formset.forms:
            form.instance.meeting = meeting_form.instance
        votes_valid = formset.is_valid()
        if meeting_valid:
            try:
                with transaction.atomic():
                    lock(consultation)
                    if meeting_form.refuse_if_already_logged():
                        raise _Rollback
                    meeting = meeting_form.save()
                    meeting.consultations.add(consultation)
                    if not (_record_votes(meeting, consultation, formset) and votes_valid):
                        raise _Rollback
            except _Rollback:
                # Nothing was kept: the forms show what was typed, as records not yet saved.
                meeting_form.instance.pk = None
                for form in formset.forms:
                    form.instance.pk = None
                consultation.refresh_from_db(fields=["opinion", "opinion_on"])
            else:
                count = meeting.votes.count()
                messages.success(
                    request,
                    _("La réunion du %(date)s est consignée (%(votes)s).")
                    % {
                        "date": written_date(meeting.held_on),
                        "votes": votes_label(count),
                    },
                )
                if consultation.opinion and any(
                    form.opinion_voted for form in formset.forms if form.has_changed()
                ):
                    messages.success(
                        request,
                        _("L'avis du CSE est enregistré : %(opinion)s, rendu le %(date)s.")
                        % {
                            "opinion": consultation.get_opinion_display().lower(),
                            "date": written_date(consultation.opinion_on),
                        },
                    )
                    warn_of_the_opinion(request, consultation)
                warn_of_votes_before_information(request, meeting.votes.all())
                return redirect(consultation_url(consultation))
    sections = [(gettext("Réunion"), meeting_form)]
    sections += [
        (gettext("Vote %(number)s") % {"number": index}, form)
        for index, form in enumerate(formset.forms, start=1)
    ]
    context = {
        "consultation": consultation,
        "meeting_form": meeting_form,
        "formset": formset,
        "errors": error_summary(*sections) + formset_errors(formset, gettext("Votes")),
    }
    return render_form(request, "meeting_log.html", context)


def warn_of_votes_before_information(request, votes):
    """A warning for the ``votes`` held before their consultation's information was received
    (Vote.before_information_warnings, one a consultation): saved, since the information may
    have been given at that very meeting, but a date to check (found by a QA pass as an editor:
    such a vote was saved silently, and the employer's time to contest an expertise counted from
    it). The pages call it for the votes a save added, or whose meeting's day or consultation's
    T0 it moved: not again at each save of the meeting."""
    votes = votes.before_information().select_related("meeting", "consultation")
    for warning in dict.fromkeys(Vote.before_information_warnings(votes)):
        messages.warning(request, warning)


def votes_label(count):
    if count == 0:
        return gettext("aucun vote")
    return ngettext("%(count)d vote", "%(count)d votes", count) % {"count": count}


def formset_errors(formset, heading):
    """The errors of a formset as a whole (too many forms), under ``heading``."""
    if not formset.is_bound:
        return []
    return [
        {"heading": heading, "label": "", "message": message, "anchor": ""}
        for message in formset.non_form_errors()
    ]


def shown_with(meeting):
    """The consultations whose pages list ``meeting`` (MeetingQuerySet.listed_with), the
    first logged first."""
    return (
        Consultation.objects.filter(Q(meetings=meeting) | Q(votes__meeting=meeting))
        .filter(body__organisation=meeting.body.organisation_id)
        .distinct()
        .order_by("pk")
    )


def asked_return(request):
    """The page to return to after the form (``?next=``, the page that led there), if it is
    one of this site's; else None."""
    target = request.GET.get("next", "")
    # Not a line break either: the browser would be sent to a page that cannot exist.
    if target.isprintable() and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
@require_get_or_post
def meeting_edit(request, pk):
    """A meeting's own facts once logged: its date, the agenda sent and the consultations on
    it, the minutes sent and adopted, which come days after the meeting (L2315-34). Back to the
    page that led there (``?next=``), else to the first consultation that lists the meeting."""
    meeting = get_editable(Meeting.objects.select_related("body__organisation"), request.user, pk)
    saved = copy.copy(meeting)  # the page's heading and steps: the meeting as saved
    consultations = list(shown_with(meeting))
    default = (
        consultation_url(consultations[0]) + f"#meeting-{meeting.pk}"
        if consultations
        else reverse("consultations:workspace")
    )
    back = asked_return(request) or default
    form = MeetingEditForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(
            request,
            _("La réunion du %(date)s est enregistrée.") % {"date": written_date(meeting.held_on)},
        )
        if form.date_changed:
            left = dates_left_behind(meeting, form.saved_held_on)
            if left:
                messages.warning(request, left)
        # A consultation voted here taken off the agenda: warned, not refused, as in the admin
        # (VoteQuerySet.off_agenda: the vote may be directly linked to an item on it). Only when
        # this save changed the agenda, or the day, as the admin (VoteWarningsMixin): not again
        # at each save of the minutes' dates.
        if "consultations" in form.changed_data:
            warnings = [vote.off_agenda_warning() for vote in off_agenda_votes(meeting)]
            for warning in dict.fromkeys(warnings):
                messages.warning(request, warning)
        if form.date_changed:
            warn_of_votes_before_information(request, meeting.votes.all())
        return redirect(back)
    context = {
        "form": form,
        "meeting": saved,
        "consultations": consultations,
        "steps": Meeting.objects.with_next_meeting().get(pk=saved.pk).steps(),
        "votes": saved.votes.count(),
        "admin_url": (
            reverse("admin:consultations_meeting_change", args=[meeting.pk])
            if request.user.is_staff
            else None
        ),
        "cancel_url": back,
        "errors": error_summary(("", form)),
    }
    return render_form(request, "meeting_form.html", context)


def off_agenda_votes(meeting):
    """The votes of ``meeting`` on a consultation not on its agenda, in the order they were
    recorded."""
    return meeting.votes.off_agenda().select_related("meeting", "consultation").order_by("pk")


def dates_left_behind(meeting, old_day) -> str:
    """What a meeting moved to another day leaves on the old one, to be checked: the opinion
    of a consultation voted there, an expert designated by one of its votes. Vigie does not
    move them: the opinion may have been given another day, the expert designated later."""
    records = [
        gettext("la date de l'avis de %(title)s") % {"title": quoted(title)}
        for title in Consultation.objects.filter(
            votes__meeting=meeting, votes__subject=Vote.Subject.OPINION, opinion_on=old_day
        )
        .distinct()
        .values_list("title", flat=True)
    ]
    records += [
        gettext("la date de désignation de l'expert de %(title)s") % {"title": quoted(title)}
        for title in Expertise.objects.filter(
            appointing_vote__meeting=meeting, designated_on=old_day
        ).values_list("consultation__title", flat=True)
    ]
    if not records:
        return ""
    return ngettext(
        "%(records)s reste fixée au %(date)s, l'ancienne date de la réunion : corrigez-la si "
        "besoin.",
        "%(records)s restent fixées au %(date)s, l'ancienne date de la réunion : corrigez-les "
        "si besoin.",
        len(records),
    ) % {
        "records": capfirst(get_text_list(records, gettext("et"))),
        "date": long_date(old_day),
    }


# --- Expertise -------------------------------------------------------------------------------------


@login_required
@require_get_or_post
def expertise_create(request, pk):
    consultation = editable_consultation(request, pk)
    return _expertise_page(request, consultation, Expertise(consultation=consultation))


@login_required
@require_get_or_post
def expertise_edit(request, pk):
    expertise = get_editable(
        Expertise.objects.select_related("consultation__body__organisation"), request.user, pk
    )
    return _expertise_page(request, expertise.consultation, expertise)


def _expertise_page(request, consultation, expertise):
    creating = expertise.pk is None
    form = ExpertiseEditForm(request.POST or None, instance=expertise, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("L'expertise est enregistrée."))
        return redirect(consultation_url(consultation))
    # The milestones and contest windows of the record as saved, not as typed in a form that
    # failed.
    saved = None if creating else Expertise.objects.get(pk=expertise.pk)
    context = {
        "form": form,
        "consultation": consultation,
        "expertise": expertise,
        "creating": creating,
        "milestones": saved.milestones() if saved else [],
        "contest_windows": saved.contest_windows() if saved else [],
        "contested_on": saved.contested_on if saved else None,
        "errors": error_summary(("", form)),
    }
    return render_form(request, "expertise_form.html", context)


# --- Management's answer ---------------------------------------------------------------------------


@login_required
@require_get_or_post
def response_create(request, pk):
    consultation = editable_consultation(request, pk)
    form = ResponseEditForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                lock(consultation)
                if form.refuse_if_already_logged():
                    raise _Rollback
                form.save()
        except _Rollback:
            pass
        else:
            messages.success(request, _("La réponse de la direction est enregistrée."))
            return redirect(consultation_url(consultation))
    context = {
        "form": form,
        "consultation": consultation,
        "errors": error_summary(("", form)),
    }
    return render_form(request, "response_form.html", context)


# --- Demands ---------------------------------------------------------------------------------------


@login_required
@require_get_or_post
def demands_edit(request, pk):
    """The consultation's demands on one page: add some, say what came of each and which answer
    of management settled it, remove one logged by mistake. One submit; nothing is saved while
    one of them is refused."""
    consultation = editable_consultation(request, pk)
    formset = DemandFormSet(
        request.POST or None,
        prefix="demands",
        queryset=consultation.demands.select_related("settled_by").order_by("pk"),
        form_kwargs={"consultation": consultation},
    )
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            lock(consultation)
            formset.save()
        messages.success(request, _("Les revendications sont enregistrées."))
        return redirect(consultation_url(consultation) + "#demands")
    sections = [
        (gettext("Revendication %(number)s") % {"number": index}, form)
        for index, form in enumerate(formset.forms, start=1)
    ]
    context = {
        "consultation": consultation,
        "formset": formset,
        "errors": error_summary(*sections) + formset_errors(formset, gettext("Revendications")),
    }
    return render_form(request, "demands_form.html", context)


# --- Documents -------------------------------------------------------------------------------------


@login_required
@require_get_or_post
def document_upload(request, pk):
    consultation = editable_consultation(request, pk)
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES, consultation=consultation)
    else:
        form = DocumentUploadForm(consultation=consultation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            document = form.save()
        messages.success(
            request, _("Le document « %(title)s » est enregistré.") % {"title": document.title}
        )
        return redirect(consultation_url(consultation))
    context = {
        "form": form,
        "consultation": consultation,
        "errors": error_summary(("", form)),
        "file_field": True,  # the summary says the file is not kept
    }
    return render_form(request, "document_form.html", context)


# --- URLs ------------------------------------------------------------------------------------------
# Listed here and unpacked by consultations/urls.py under "# Editing views" (same namespace).
