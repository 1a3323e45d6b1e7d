"""Admin smoke tests and the editors' scoping."""

import datetime
import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations.models import (
    CalendarToken,
    Consultation,
    Document,
    Meeting,
    Motion,
    ReminderSent,
    Vote,
)

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db

MODEL_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "consultations"]


# Records the application writes itself: the admin lists and revokes them, never adds them.
ADMIN_WITHOUT_ADD = {CalendarToken, ReminderSent}


def make_one(model):
    factory = next(
        f
        for f in vars(factories).values()
        if isinstance(f, type) and getattr(getattr(f, "_meta", None), "model", None) is model
    )
    return factory()


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_it_registers_every_model():
    """Every model an editor keeps; the timeline index is derived from them, never edited."""
    from django.apps import apps

    from consultations.models import TimelineEntry

    models = {
        m
        for m in apps.get_app_config("consultations").get_models()
        if not m.__name__.startswith("Historical") and m is not TimelineEntry
    }
    assert models == set(MODEL_ADMINS)


@pytest.mark.parametrize("model", MODEL_ADMINS, ids=lambda m: m.__name__)
def test_it_answers_every_admin_page_for_a_superuser(model, superuser):
    obj = make_one(model)
    client = client_for(superuser)
    urls = [
        admin_url(model, "changelist"),
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
    ]
    if model not in ADMIN_WITHOUT_ADD:
        urls.append(admin_url(model, "add"))
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", MODEL_ADMINS, ids=lambda m: m.__name__)
def test_it_sends_anonymous_users_to_login(model, client):
    obj = make_one(model)
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def consultation_a(organisation_a):
    return factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a), title="Consultation de A"
    )


def test_it_shows_an_editor_only_her_organisations(consultation_a, editor_a, editor_b):
    url = admin_url(Consultation, "changelist")
    assert "Consultation de A" in client_for(editor_a).get(url).content.decode()
    assert "Consultation de A" not in client_for(editor_b).get(url).content.decode()
    change = admin_url(Consultation, "change", consultation_a.pk)
    assert client_for(editor_a).get(change).status_code == 200
    response = client_for(editor_b).get(change)
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_it_keeps_readers_and_other_editors_out(consultation_a, reader_a, editor_b):
    change = admin_url(Consultation, "change", consultation_a.pk)
    assert client_for(reader_a).get(change).status_code == 302
    response = client_for(editor_b).post(change, {"title": "Piraté"})
    consultation_a.refresh_from_db()
    assert consultation_a.title == "Consultation de A"
    assert response.status_code in (302, 403)


def test_it_hides_memberships_from_editors(editor_a):
    assert (
        client_for(editor_a)
        .get(admin_url(factories.MembershipFactory._meta.model, "changelist"))
        .status_code
        == 403
    )


def test_it_offers_an_editor_only_her_bodies(organisation_a, organisation_b, editor_a):
    factories.BodyFactory(organisation=organisation_b, name="CSE de B")
    factories.BodyFactory(organisation=organisation_a, name="CSE de A")
    page = client_for(editor_a).get(admin_url(Consultation, "add")).content.decode()
    assert "CSE de A" in page and "CSE de B" not in page


def test_it_offers_no_cssct_for_a_consultation(consultation_a, superuser):
    from consultations.models import Body

    cse = consultation_a.body
    cssct = factories.BodyFactory(
        organisation=cse.organisation, kind=Body.Kind.CSSCT, parent=cse, name="CSSCT de A"
    )
    form = client_for(superuser).get(admin_url(Consultation, "add")).context["adminform"].form
    assert cssct not in form.fields["body"].queryset and cse in form.fields["body"].queryset
    # A consultation filed on a CSSCT before the rule keeps its choice, to be told why.
    Consultation.objects.filter(pk=consultation_a.pk).update(body=cssct)
    change = admin_url(Consultation, "change", consultation_a.pk)
    form = client_for(superuser).get(change).context["adminform"].form
    assert cssct in form.fields["body"].queryset


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def post_document(client, consultation, upload):
    return client.post(
        admin_url(Document, "add"),
        {
            "consultation": consultation.pk,
            "kind": "information_note",
            "title": "Note",
            "file": upload,
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("note.exe", b"MZ\x90\x00" + b"\x00" * 200, "n&#x27;est pas accepté"),
        ("note.pdf", PNG, "ne correspond pas à son contenu"),
        ("note.pdf", b"", "vide"),
        ("note.txt", b"hello world", "n&#x27;est pas accepté"),
    ],
)
def test_it_refuses_uploads_by_their_content(consultation_a, superuser, name, content, message):
    response = post_document(
        client_for(superuser), consultation_a, SimpleUploadedFile(name, content)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_it_refuses_oversized_uploads(consultation_a, superuser, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = post_document(
        client_for(superuser), consultation_a, SimpleUploadedFile("n.pdf", PDF * 10)
    )
    assert "taille maximale" in response.content.decode()


def test_it_accepts_a_pdf(consultation_a, superuser):
    response = post_document(
        client_for(superuser), consultation_a, SimpleUploadedFile("note.pdf", PDF)
    )
    assert response.status_code == 302
    assert Document.objects.get().file.name.endswith("note.pdf")


def test_it_serves_documents_only_to_those_allowed(consultation_a, reader_a, editor_b, client):
    document = factories.DocumentFactory(
        consultation=consultation_a, file=SimpleUploadedFile("note.pdf", PDF)
    )
    url = reverse("consultations:document-download", args=[document.pk])
    assert client_for(reader_a).get(url).status_code == 200
    assert client_for(editor_b).get(url).status_code == 404
    assert client.get(url).status_code == 404
    consultation_a.visibility = Consultation.Visibility.PUBLIC
    consultation_a.save()
    assert client.get(url).status_code == 200
    document.confidential, document.confidentiality_justification = True, "Secret industriel"
    document.save()
    assert client.get(url).status_code == 404
    assert client_for(reader_a).get(url).status_code == 200


def test_the_admin_links_a_document_to_its_checked_download_not_to_the_media_folder(
    consultation_a, editor_a, settings
):
    """The media folder is served by no one (README, "Threats considered"): a link there was a
    404, and invited serving it, confidential documents included (found by a security review)."""
    document = factories.DocumentFactory(
        consultation=consultation_a,
        title="Note",
        file=SimpleUploadedFile("note-confidentielle.pdf", PDF),
        confidential=True,
        confidentiality_justification="Secret industriel",
    )
    download = reverse("consultations:document-download", args=[document.pk])
    for url in (
        admin_url(Document, "change", document.pk),
        admin_url(Consultation, "change", consultation_a.pk),  # its inline
    ):
        page = client_for(editor_a).get(url).content.decode()
        assert f'href="{download}"' in page, url
        assert "note-confidentielle.pdf</a>" in page, url
        assert f'href="/{settings.MEDIA_URL}' not in page, url
    assert client_for(editor_a).get(download).status_code == 200


def test_a_document_whose_file_is_gone_is_a_404_not_an_error(consultation_a, reader_a, caplog):
    """Found by the editor's QA pass: a file missing from the media folder gave a 500."""
    document = factories.DocumentFactory(
        consultation=consultation_a, file=SimpleUploadedFile("note.pdf", PDF)
    )
    document.file.storage.delete(document.file.name)
    url = reverse("consultations:document-download", args=[document.pk])
    assert client_for(reader_a).get(url).status_code == 404
    assert f"Document {document.pk}: file {document.file.name} missing" in caplog.text


def test_it_serves_a_public_document_once_whatever_the_number_of_members(consultation_a, client):
    """Regression: OR-ing the membership join repeated the document once per member."""
    for index in range(3):
        factories.MembershipFactory(
            organisation=consultation_a.body.organisation,
            user=factories.UserFactory(username=f"m{index}"),
        )
    consultation_a.visibility = Consultation.Visibility.PUBLIC
    consultation_a.save()
    document = factories.DocumentFactory(
        consultation=consultation_a, file=SimpleUploadedFile("note.pdf", PDF)
    )
    assert (
        client.get(reverse("consultations:document-download", args=[document.pk])).status_code
        == 200
    )


def test_its_list_of_consultations_fits_six_columns(superuser, settings):
    """At 1280 pixels the list used to lose its last columns: no menu beside it, the
    organisation over its council, the system's name alone, the opinion under the clock's
    badge; a recorded opinion is told apart from one deemed negative by the clock."""
    import datetime

    body = factories.BodyFactory(name="CSE central de Sentinelle")
    factories.ConsultationFactory(
        body=body,
        title="Avec avis",
        deployment=factories.DeploymentFactory(organisation=body.organisation, name="Scorer"),
        information_received_on=datetime.date(2025, 3, 3),
        opinion="unfavourable",
        opinion_on=datetime.date(2025, 3, 20),
    )
    factories.ConsultationFactory(
        body=body, title="Sans avis", information_received_on=datetime.date(2025, 3, 3)
    )
    client = client_for(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(admin_url(Consultation, "changelist")).content.decode()
    assert 'id="nav-sidebar"' not in page
    headings = ["Title", "Organisation and body", "AI system", "Information received"]
    headings += ["Period status and opinion", "Visibility"]
    for heading in headings:
        assert f">{heading}</" in page, heading
    assert page.count('<th scope="col"') == len(headings) + 1  # and the selection box
    assert f"{body.organisation.name}<br><small>CSE central de Sentinelle</small>" in page
    assert ">03/03/2025</td>" in page  # as the site's lists write a day, not "March 3, 2025"
    assert ">Scorer</td>" in page and f"Scorer ({body.organisation.name})" not in page
    assert "Opinion deemed negative</span><br><small>Unfavourable</small>" not in page
    assert "</span><br><small>Unfavourable</small>" in page
    assert page.count("Opinion deemed negative</span>") == 1  # the one without an opinion
    assert "By recorded opinion" in page


def test_its_list_of_consultations_puts_those_without_a_date_last(superuser):
    """Newest information first, as the site's list: on PostgreSQL too, which puts NULLs first
    in a descending order unless told otherwise (Consultation.Meta.ordering)."""
    import datetime

    body = factories.BodyFactory()
    for title, day in (("Ancienne", 1), ("Récente", 20)):
        factories.ConsultationFactory(
            body=body, title=title, information_received_on=datetime.date(2025, 3, day)
        )
    factories.ConsultationFactory(body=body, title="Pas commencée", information_received_on=None)
    response = client_for(superuser).get(admin_url(Consultation, "changelist"))
    listed = [c.title for c in response.context["cl"].result_list]
    assert listed == ["Récente", "Ancienne", "Pas commencée"]
    assert [c.title for c in Consultation.objects.all()] == listed
    # SQLite puts NULLs last in a descending order anyway: the order must say so for PostgreSQL.
    assert "NULLS LAST" in str(response.context["cl"].result_list.query).upper()


HOSTILE_FILTERS = [
    ("consultation", "deployment=99999999999999999999"),
    ("consultation", "body=99999999999999999999"),
    ("deployment", "organisation=99999999999999999999"),
    ("meeting", "body=99999999999999999999"),
    ("meeting", "held_on__year=99999999999999999999"),
    ("expertise", "information_received_on__year=99999"),
    ("deployment", "planned_go_live__year=0"),
]


@pytest.mark.parametrize(("model_name", "query"), HOSTILE_FILTERS)
def test_a_filter_the_database_cannot_hold_is_an_incorrect_lookup(
    consultation_a, superuser, model_name, query
):
    """SQLite and Python refuse such numbers (the list's usual notice, ?e=1); PostgreSQL finds
    no row (an empty list). Never a 500."""
    url = reverse(f"admin:consultations_{model_name}_changelist")
    response = client_for(superuser).get(f"{url}?{query}")
    redirected = response.status_code == 302 and response["Location"].endswith("?e=1")
    assert redirected or response.status_code == 200


def test_the_history_of_another_organisations_record_is_not_found(
    consultation_a, editor_a, editor_b
):
    history = admin_url(Consultation, "history", consultation_a.pk)
    assert client_for(editor_a).get(history).status_code == 200
    assert client_for(editor_b).get(history).status_code == 404
    version = consultation_a.history.first().history_id
    one_version = reverse(
        "admin:consultations_consultation_simple_history",
        args=[consultation_a.pk, version],
    )
    assert client_for(editor_a).get(one_version).status_code == 200
    assert client_for(editor_b).get(one_version).status_code == 404
    assert client_for(editor_a).get(one_version.replace(f"/{version}/", "/abc/")).status_code == 404


def test_the_filters_name_only_the_editors_organisations(consultation_a, editor_a, organisation_b):
    factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_b), title="Consultation de B"
    )
    for model in (Consultation, factories.DeploymentFactory._meta.model):
        page = client_for(editor_a).get(admin_url(model, "changelist")).content.decode()
        assert organisation_b.name not in page
        assert consultation_a.body.organisation.name in page


def test_a_vote_count_no_council_has_is_refused_in_words_in_the_admin(superuser):
    vote = factories.VoteFactory()
    url = admin_url(Vote, "change", vote.pk)
    data = {
        "meeting": vote.meeting_id,
        "consultation": vote.consultation_id,
        "subject": vote.subject,
        "question": vote.question,
        "votes_for": "40000",
        "votes_against": "0",
        "abstentions": "0",
        "blank_votes": "0",
        "voting_members_present": "9",
    }
    response = client_for(superuser).post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["votes_for"] == [
        "Un CSE ne compte pas autant de membres\u00a0: vérifiez ce nombre."
    ]


BALLOTS_BEYOND_VOTERS = (
    "11 bulletins pour 10 votants présents\u00a0: il ne peut y avoir plus de voix que de votants."
)
VOTERS_BEYOND_SEATS = (
    "10 élus votants pour 9 sièges de titulaires\u00a0: il ne peut y avoir plus de votants que de "
    "sièges."
)
COUNTS_BEYOND_BOTH = {
    "votes_for": "6",
    "votes_against": "5",
    "abstentions": "0",
    "blank_votes": "0",
    "voting_members_present": "10",
}


def test_the_admin_says_the_voters_beyond_the_seats_with_the_ballots(superuser):
    """The voters beyond the seats were said only once the ballots beyond the voters had been
    corrected."""
    vote = factories.VoteFactory(meeting__body__seats=9)
    url = admin_url(Vote, "change", vote.pk)
    data = {
        "meeting": vote.meeting_id,
        "consultation": vote.consultation_id,
        "subject": vote.subject,
        "question": "Question tapée",
        **COUNTS_BEYOND_BOTH,
    }
    response = client_for(superuser).post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["voting_members_present"] == [BALLOTS_BEYOND_VOTERS, VOTERS_BEYOND_SEATS]
    assert "Question tapée" in response.content.decode()
    vote.refresh_from_db()
    assert vote.votes_for == 9


def test_the_admin_checks_a_new_meetings_votes_against_its_seats(organisation_a, superuser):
    """A vote typed on the page of a meeting not yet saved is checked against the seats of the
    body chosen above it, with its other counts."""
    from consultations.models import Meeting

    body = factories.BodyFactory(organisation=organisation_a, seats=9)
    client = client_for(superuser)
    url = admin_url(Meeting, "add")
    data = {"body": body.pk, "held_on": "2025-03-14", "kind": "ordinary"}
    [formset] = client.get(url).context["inline_admin_formsets"]
    prefix = formset.formset.prefix
    management = formset.formset.management_form
    data.update({management.add_prefix(n): management[n].value() for n in management.fields})
    data[f"{prefix}-TOTAL_FORMS"] = "1"  # one vote typed
    data[f"{prefix}-0-subject"] = "other"
    data.update({f"{prefix}-0-{name}": value for name, value in COUNTS_BEYOND_BOTH.items()})

    response = client.post(url, data)

    assert response.status_code == 200
    [formset] = response.context["inline_admin_formsets"]
    errors = formset.formset.forms[0].errors
    assert errors["voting_members_present"] == [BALLOTS_BEYOND_VOTERS, VOTERS_BEYOND_SEATS]
    assert not Meeting.objects.exists()


def meeting_page_data(page, **fields):
    """What an admin page of a meeting posts back with ``fields``, its inlines left empty."""
    data = dict(fields)
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update(
            {management.add_prefix(name): value for name, value in management.initial.items()}
        )
    return data


def test_a_meeting_cannot_have_another_organisations_consultation_on_its_agenda(
    consultation_a, organisation_b, superuser
):
    """It would show this meeting on the other company's pages, to its readers. A new
    meeting's page offers a superuser every consultation: the one of another organisation than
    the council's is refused, named."""
    other = factories.ConsultationFactory(
        body__organisation=organisation_b, title="Projet de l'autre société"
    )
    client = client_for(superuser)
    url = admin_url(Meeting, "add")
    page = client.get(url)
    assert other in page.context["adminform"].form.fields["consultations"].queryset
    data = meeting_page_data(
        page,
        body=consultation_a.body_id,
        held_on="2025-03-14",
        kind="ordinary",
        consultations=[consultation_a.pk, other.pk],
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["consultations"] == [
        "Les consultations à l'ordre du jour doivent concerner la même organisation que "
        "l'instance réunie\u00a0: retirez «\u00a0Projet de l'autre société\u00a0»."
    ]
    assert not Meeting.objects.exists()
    data["consultations"] = [consultation_a.pk]
    assert client.post(url, data).status_code == 302
    assert list(Meeting.objects.get().consultations.all()) == [consultation_a]


def test_a_meetings_agenda_offers_its_organisations_consultations_only(
    consultation_a, organisation_b, superuser, editor_a
):
    """The page of a meeting offers, for its agenda and for the consultation of each vote,
    the consultations of its organisation (another's would be refused), to a superuser as to
    an editor of both organisations; an id of another's, posted all the same, is refused as a
    choice not offered, without its title."""
    meeting = factories.MeetingFactory(body=consultation_a.body)
    meeting.consultations.add(consultation_a)
    factories.VoteFactory(meeting=meeting, consultation=consultation_a)
    second = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=consultation_a.body.organisation),
        title="Badgeuse",
    )
    other = factories.ConsultationFactory(
        body__organisation=organisation_b, title="Projet de l'autre société"
    )
    factories.MembershipFactory(user=editor_a, organisation=organisation_b, role="editor")
    url = admin_url(Meeting, "change", meeting.pk)
    for user in (superuser, editor_a):
        page = client_for(user).get(url)
        agenda = page.context["adminform"].form.fields["consultations"].queryset
        assert set(agenda) == {consultation_a, second}, user
        [votes] = page.context["inline_admin_formsets"]
        for form in (votes.formset.forms[0], votes.formset.empty_form):
            assert set(form.fields["consultation"].queryset) == {consultation_a, second}, user
        assert "Projet de l&#x27;autre société" not in page.content.decode()

    meeting.votes.all().delete()  # the page posted with its inline of votes left empty
    client = client_for(superuser)
    data = meeting_page_data(
        client.get(url),
        body=meeting.body_id,
        held_on=meeting.held_on.isoformat(),
        kind=meeting.kind,
        consultations=[consultation_a.pk, other.pk],
    )
    response = client.post(url, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["consultations"]
    assert "autre société" not in error and "choix valide" in error
    assert list(meeting.consultations.all()) == [consultation_a]
    data["consultations"] = [consultation_a.pk, second.pk]
    assert client.post(url, data).status_code == 302
    assert set(meeting.consultations.all()) == {consultation_a, second}


def test_a_new_meetings_agenda_offers_an_editor_her_organisations_consultations(
    consultation_a, organisation_b, editor_a, superuser
):
    """Before its council is chosen, a new meeting's page offers an editor the consultations of
    the organisations she edits (not one she only reads, nor another's), for its agenda and its
    votes; a superuser every one."""
    read_only = factories.ConsultationFactory(title="Consultation lue seulement")
    factories.MembershipFactory(
        user=editor_a, organisation=read_only.body.organisation, role="reader"
    )
    other = factories.ConsultationFactory(body__organisation=organisation_b)
    url = admin_url(Meeting, "add")
    page = client_for(editor_a).get(url)
    assert set(page.context["adminform"].form.fields["consultations"].queryset) == {consultation_a}
    [votes] = page.context["inline_admin_formsets"]
    assert set(votes.formset.empty_form.fields["consultation"].queryset) == {consultation_a}
    everything = client_for(superuser).get(url).context["adminform"].form
    assert set(everything.fields["consultations"].queryset) == {consultation_a, read_only, other}


def test_an_error_of_an_inlines_hidden_link_is_shown_above_its_form(consultation_a, organisation_b):
    """The consultation's inline of votes links each vote by a hidden field: its errors would
    not show (found in QA: "correct the error below", and none)."""
    from django import forms

    from consultations.forms import VoteAdminForm

    meeting_b = factories.MeetingFactory(body__organisation=organisation_b)
    form = VoteAdminForm(
        data={
            "meeting": meeting_b.pk,
            "consultation": consultation_a.pk,
            "subject": "other",
            "votes_for": "5",
            "votes_against": "0",
            "abstentions": "0",
            "blank_votes": "0",
            "voting_members_present": "5",
        }
    )
    form.fields["consultation"].widget = forms.HiddenInput()

    assert not form.is_valid()
    assert "consultation" not in form.errors
    assert form.non_field_errors() == [
        "La consultation doit concerner la même organisation que l'instance réunie."
    ]


def admin_form_data(page, inlines=False):
    """What a browser would send back from an admin change page, untouched; with ``inlines``,
    the records of its inlines too."""
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
        if inlines:
            for inline_form in formset.formset.forms:
                for name in inline_form.fields:
                    value = inline_form[name].value()
                    if value is None or value is False:
                        continue
                    data[inline_form.add_prefix(name)] = "on" if value is True else value
    return data


def test_an_expertise_with_a_future_step_saved_before_the_rule_does_not_block_its_consultation(
    consultation_a, editor_a
):
    """The expertise's inline revalidates it with every save of its consultation: a step
    recorded after today before the rule refused it blocked the save of anything else. Only a
    date being typed is refused now, beside its field in the inline."""
    from consultations.models import Expertise

    later = timezone.localdate() + datetime.timedelta(days=30)
    expertise = factories.ExpertiseFactory(consultation=consultation_a)
    Expertise.objects.filter(pk=expertise.pk).update(report_delivered_on=later)
    url = admin_url(Consultation, "change", consultation_a.pk)
    client = client_for(editor_a)
    page = client.get(url)
    [inline] = [
        f.formset for f in page.context["inline_admin_formsets"] if f.formset.model is Expertise
    ]
    data = admin_form_data(page, inlines=True)
    assert data[inline.forms[0].add_prefix("report_delivered_on")] == later

    data["internal_notes"] = "Notes tapées"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    consultation_a.refresh_from_db()
    assert consultation_a.internal_notes == "Notes tapées"

    data = admin_form_data(client.get(url), inlines=True)
    data[inline.forms[0].add_prefix("contested_on")] = later - datetime.timedelta(days=1)
    data["internal_notes"] = "Autres notes"
    response = client.post(url, data)
    assert response.status_code == 200
    [inline] = [
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Expertise
    ]
    assert list(inline.forms[0].errors) == ["contested_on"]
    assert "est à venir" in inline.forms[0].errors["contested_on"][0]
    assert "Autres notes" in response.content.decode()  # kept as typed
    consultation_a.refresh_from_db()
    assert consultation_a.internal_notes == "Notes tapées"


@pytest.mark.parametrize("model", [Consultation, "deployment"])
def test_the_admin_keeps_what_was_saved_meanwhile_in_the_fields_left_alone(
    consultation_a, editor_a, model
):
    """Saving again after the refusal no longer writes back the old values of the fields this
    form did not change (found by the editor's QA pass, on the site's forms)."""
    record = consultation_a if model is Consultation else consultation_a.deployment
    url = admin_url(type(record), "change", record.pk)
    client = client_for(editor_a)
    data = admin_form_data(client.get(url))
    mine, theirs = ("internal_notes", "summary") if model is Consultation else ("notes", "vendor")
    date_field = "information_received_on" if model is Consultation else "planned_go_live"
    setattr(record, theirs, "Changé dans l'autre onglet")
    setattr(record, date_field, datetime.date(2025, 5, 6))
    record.save()

    data[mine] = "Saisi dans ce formulaire"
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form[theirs].value() == "Changé dans l'autre onglet"
    assert form[mine].value() == "Saisi dans ce formulaire"
    again = client.post(url, admin_form_data(response))
    assert again.status_code == 302, again.context["adminform"].form.errors
    record.refresh_from_db()
    assert getattr(record, theirs) == "Changé dans l'autre onglet"
    assert getattr(record, mine) == "Saisi dans ce formulaire"
    assert getattr(record, date_field) == datetime.date(2025, 5, 6)


@pytest.mark.parametrize("model", [Consultation, "deployment"])
def test_the_admin_refuses_a_save_over_one_made_meanwhile(consultation_a, editor_a, model):
    """Two tabs, or two editors: the second save no longer wins silently (found in QA); the
    site's forms already refused it."""
    record = consultation_a if model is Consultation else consultation_a.deployment
    url = admin_url(type(record), "change", record.pk)
    client = client_for(editor_a)
    data = admin_form_data(client.get(url))
    field = "internal_notes" if model is Consultation else "notes"
    setattr(record, field, "Saisi dans l'autre onglet")
    record.save()

    data[field] = "Saisi dans ce formulaire"
    response = client.post(url, data)

    assert response.status_code == 200
    [message] = response.context["adminform"].form.non_field_errors()
    assert message.startswith("Quelqu'un a enregistré cette fiche pendant que vous la modifiiez.")
    assert "Saisi dans l'autre onglet" in message
    record.refresh_from_db()
    assert getattr(record, field) == "Saisi dans l'autre onglet"
    data = admin_form_data(response)  # the page now carries the latest version
    data[field] = "Saisi dans ce formulaire"
    again = client.post(url, data)
    assert again.status_code == 302, again.context["adminform"].form.errors


def test_the_admin_pages_have_the_sites_icon(superuser):
    """Every admin page logged a 404 for /favicon.ico (found by an editor's QA pass)."""
    page = client_for(superuser).get(reverse("admin:index")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in page


def test_one_save_in_the_admin_writes_one_history_row_per_record(consultation_a, editor_a):
    """A meeting saved with its agenda, an answer with the motions it answers: the save, then
    each change of the links (an agenda changed is a removal and an addition), wrote a history
    row each, and the workspace's latest changes showed the meeting two or three times."""
    from consultations.models import ManagementResponse, Meeting

    other = factories.ConsultationFactory(body=consultation_a.body, title="Autre projet")
    client = client_for(editor_a)
    url = admin_url(Meeting, "add")
    data = admin_form_data(client.get(url))
    data |= {
        "body": consultation_a.body_id,
        "held_on": "2025-03-14",
        "kind": "ordinary",
        "consultations": [consultation_a.pk],
    }
    assert client.post(url, data).status_code == 302
    meeting = Meeting.objects.get()
    url = admin_url(Meeting, "change", meeting.pk)
    data = admin_form_data(client.get(url)) | {"consultations": [other.pk], "place": "Salle B"}
    assert client.post(url, data).status_code == 302
    rows = list(meeting.history.order_by("history_date"))
    assert [row.history_type for row in rows] == ["+", "~"]
    assert [[link.consultation_id for link in row.consultations.all()] for row in rows] == [
        [consultation_a.pk],
        [other.pk],
    ]
    assert rows[1].place == "Salle B"

    motion = factories.MotionFactory(consultation=consultation_a)
    response = factories.ManagementResponseFactory(consultation=consultation_a)
    url = admin_url(ManagementResponse, "change", response.pk)
    data = admin_form_data(client.get(url)) | {"motions": [motion.pk]}
    assert client.post(url, data).status_code == 302
    row = response.history.latest("history_date")
    assert response.history.count() == 2  # the factory's, and this save's
    assert [link.motion_id for link in row.motions.all()] == [motion.pk]
    assert row.history_user == editor_a


def test_the_confirmation_of_a_deletion_lists_records_not_the_links_between_them(
    consultation_a, superuser
):
    """Deleting a meeting or a consultation listed the many-to-many rows that go with it as
    « Relation meeting-consultation : Meeting_consultations object (3) », which says nothing
    to a reader: the records deleted with it are listed, the links are not."""
    from consultations.models import Meeting

    meeting = factories.MeetingFactory(body=consultation_a.body)
    meeting.consultations.add(consultation_a)
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation_a)
    motion = factories.MotionFactory(consultation=consultation_a, adopting_vote=vote)
    factories.ManagementResponseFactory(consultation=consultation_a).motions.add(motion)
    client = client_for(superuser)
    for record in (meeting, consultation_a):
        page = client.get(admin_url(type(record), "delete", record.pk))
        text = page.content.decode()
        assert "object (" not in text
        assert "Relation" not in text
        summary = {str(name): count for name, count in page.context["model_count"]}
        assert summary["votes"] == 1
        assert not [name for name in summary if name.startswith("relation")]
        assert f'Vote: <a href="{admin_url(Vote, "change", vote.pk)}">' in text
        # Nor the rows of the timeline index, rebuilt from the records.
        assert "frise (index)" not in text and "timeline index" not in text.lower()
        assert not [name for name in summary if "frise" in name]
    assert client.post(admin_url(Meeting, "delete", meeting.pk), {"post": "yes"}).status_code == 302
    assert not consultation_a.meetings.exists()


def test_an_editor_is_offered_only_the_consultations_own_records_in_its_inlines(
    consultation_a, editor_a
):
    """The consultation's page offers, for a motion's adopting vote, an answer's motions and a
    demand's settling answer, the consultation's own records, to an editor as to a superuser
    (the editor's scoping replaced the narrower choice: every vote of her organisations, read
    « Motion ou résolution — 10 septembre 2020 » without its consultation)."""
    meeting = factories.MeetingFactory(body=consultation_a.body)
    other = factories.ConsultationFactory(body=consultation_a.body)
    mine = factories.VoteFactory(meeting=meeting, consultation=consultation_a)
    theirs = factories.VoteFactory(meeting=meeting, consultation=other)
    my_motion = factories.MotionFactory(consultation=consultation_a)
    their_motion = factories.MotionFactory(consultation=other)
    my_answer = factories.ManagementResponseFactory(consultation=consultation_a)
    their_answer = factories.ManagementResponseFactory(consultation=other)
    elsewhere = factories.MeetingFactory(body__organisation=factories.OrganisationFactory())
    factories.MembershipFactory(user=editor_a, organisation=elsewhere.body.organisation)
    response = client_for(editor_a).get(admin_url(Consultation, "change", consultation_a.pk))
    forms = {
        formset.formset.prefix: formset.formset.empty_form
        for formset in response.context["inline_admin_formsets"]
    }
    votes = forms["motions"].fields["adopting_vote"].queryset
    assert mine in votes and theirs not in votes
    motions = forms["responses"].fields["motions"].queryset
    assert my_motion in motions and their_motion not in motions
    answers = forms["demands"].fields["settled_by"].queryset
    assert my_answer in answers and their_answer not in answers
    meetings = forms["votes"].fields["meeting"].queryset
    assert meeting in meetings and elsewhere not in meetings


def test_the_votes_of_one_meeting_are_told_apart_by_their_question(consultation_a, superuser):
    """Two motions voted at one meeting: the drop-down of a motion's adopting vote read
    « Motion ou résolution — 10 septembre 2020 » twice."""
    meeting = factories.MeetingFactory(body=consultation_a.body)
    for question in ("Motion n° 1 : abandon du projet", "Motion n° 2 : pas d'analyse des émotions"):
        factories.VoteFactory(meeting=meeting, consultation=consultation_a, question=question)
    vote = consultation_a.votes.first()
    motion = factories.MotionFactory(consultation=consultation_a)
    pages = [
        admin_url(Consultation, "change", consultation_a.pk),
        admin_url(Motion, "add"),
        admin_url(Motion, "change", motion.pk),
    ]
    for url in pages:
        page = client_for(superuser).get(url).content.decode()
        assert "— 14 mars 2025 — Motion n° 1 : abandon du projet</option>" in page, url
        assert "Motion n° 2 : pas d&#x27;analyse des émotions</option>" in page, url
    assert str(vote) == "Motion ou résolution — 14 mars 2025"  # elsewhere, as before


def test_a_motions_number_is_headed_in_the_readers_language(consultation_a, superuser, settings):
    """The column and the field read « Reference », Django's name for the property."""
    motion = factories.MotionFactory(consultation=consultation_a)
    pages = [
        admin_url(Motion, "changelist"),
        admin_url(Motion, "change", motion.pk),
        admin_url(Consultation, "change", consultation_a.pk),
    ]
    for language, heading in (("fr", "Numéro"), ("en", "Number")):
        client = client_for(superuser)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in pages:
            page = client.get(url).content.decode()
            assert "Reference" not in page, url
            assert heading in page, url
    assert f">{motion.reference}<" in client.get(pages[0]).content.decode()


def test_a_records_history_reads_as_its_page(consultation_a, editor_a, settings):
    """The history of a consultation wrote the values as stored (« unfavourable », « None »,
    « 2020-09-10 »), headed its last column « Changes » in the French page, showed « None » for
    the reason of each change, and linked the author to a user page editors may not open."""
    consultation_a.opinion = Consultation.Opinion.UNFAVOURABLE
    consultation_a.opinion_on = datetime.date(2025, 3, 20)
    consultation_a._change_reason = None
    consultation_a.save()
    consultation_a.legal_bases = ["L2312-8", "L2312-38-3"]
    consultation_a.two_level = True
    consultation_a.save()
    consultation_a.history.update(history_user=editor_a)
    url = admin_url(Consultation, "history", consultation_a.pk)
    client = client_for(editor_a)
    page = client.get(url).content.decode()
    assert ">Changes<" not in page and ">Modifications<" in page
    assert "None" not in page and "unfavourable" not in page and "2025-03-20" not in page
    assert "Défavorable" in page and "20/03/2025" in page
    assert "\u00a0:</strong>" in page  # « Avis : », the French colon
    assert "L2312-38 al. 3" in page and "'L2312-8'" not in page
    assert re.search(r"non\s*&nbsp;&rarr;&nbsp;&nbsp;oui", page)  # two levels, a yes or no
    assert "/admin/auth/user/" not in page and "editor-a" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    assert ">Changes<" in page and "Unfavourable" in page and "None" not in page
    assert "Opinion:</strong>" in page


def test_a_meetings_page_shows_the_result_of_its_votes(consultation_a, superuser):
    """The votes recorded on a meeting's page showed their counts but not their result, which
    the consultation's page and the list of votes give."""
    meeting = factories.MeetingFactory(body=consultation_a.body)
    factories.VoteFactory(meeting=meeting, consultation=consultation_a, votes_for=9)
    page = client_for(superuser).get(admin_url(Meeting, "change", meeting.pk)).content.decode()
    assert "adoptée à l&#x27;unanimité" in page or "adoptée à l'unanimité" in page


def test_a_negative_cost_is_refused_beside_its_field_in_words(consultation_a, editor_a):
    """The admin answered a negative cost with the database's rule, at the top of the page:
    « La contrainte « expertise_estimated_cost_non_negative » n'est pas respectée. »"""
    url = admin_url(factories.ExpertiseFactory._meta.model, "add")
    client = client_for(editor_a)
    page = client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="estimated_cost"[^>]*min="0"', page)
    response = client.post(
        url,
        {
            "consultation": consultation_a.pk,
            "ground": "new_technology",
            "expert_firm": "Cabinet",
            "estimated_cost": "-5",
            "final_cost": "-1",
        },
    )
    form = response.context["adminform"].form
    assert not form.non_field_errors()
    for name in ("estimated_cost", "final_cost"):
        assert form.errors[name] == ["Assurez-vous que cette valeur est supérieure ou égale à 0."]
    assert "contrainte" not in response.content.decode()


def test_the_lists_of_votes_and_motions_show_the_latest_first(editor_a, organisation_a):
    """As the meetings: an editor looks for what she just recorded (found by an admin QA pass:
    with 845 votes, the first page started in 2021)."""
    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a)
    )
    for day in (3, 17, 10):
        meeting = factories.MeetingFactory(
            body=consultation.body, held_on=datetime.date(2025, 3, day)
        )
        vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
        factories.MotionFactory(consultation=consultation, adopting_vote=vote, adopted_on=None)
    client = client_for(editor_a)
    votes = client.get(admin_url(Vote, "changelist")).context["cl"].result_list
    assert [vote.meeting.held_on.day for vote in votes] == [17, 10, 3]
    motions = client.get(admin_url(Motion, "changelist")).context["cl"].result_list
    assert [motion.adopted_on.day for motion in motions] == [17, 10, 3]


def new_consultation_data(client, body, deployment):
    """What a browser sends from the page adding a consultation, its fields filled in."""
    data = admin_form_data(client.get(admin_url(Consultation, "add")))
    data.update(
        {
            "title": "Consultation sur l'assistant de rédaction",
            "body": body.pk,
            "deployment": deployment.pk,
            "legal_bases": "L2312-8",
            "information_received_on": "2025-03-03",
        }
    )
    return data


def test_a_new_consultation_is_saved_with_its_events(organisation_a, editor_a):
    """An event row on the page adding a consultation was refused on every try (« Rattachez
    l'événement à une consultation ou à un système d'IA. »): its check ran before the
    consultation existed (found by an editor's QA pass)."""
    from consultations.models import Event

    body = factories.BodyFactory(organisation=organisation_a)
    deployment = factories.DeploymentFactory(organisation=organisation_a)
    client = client_for(editor_a)
    data = new_consultation_data(client, body, deployment)
    data.update(
        {
            "events-TOTAL_FORMS": "1",
            "events-0-occurred_on": "2025-03-05",
            "events-0-kind": "press",
            "events-0-title": "Article dans la presse locale",
        }
    )

    response = client.post(admin_url(Consultation, "add"), data)

    assert response.status_code == 302, [
        (f.formset.prefix, f.formset.errors, f.formset.non_form_errors())
        for f in response.context["inline_admin_formsets"]
    ]
    event = Event.objects.get()
    assert event.consultation.title == "Consultation sur l'assistant de rédaction"
    assert event.deployment == deployment  # that of its consultation


def test_an_event_attached_to_nothing_is_still_refused(organisation_a, editor_a):
    from consultations.models import Event

    response = client_for(editor_a).post(
        admin_url(Event, "add"),
        {"occurred_on": "2025-03-05", "kind": "press", "title": "Article"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Rattachez l'événement à une consultation ou à un système d'IA."
    ]
    assert not Event.objects.exists()


def test_a_refused_page_says_to_choose_its_files_again(organisation_a, editor_a):
    """A browser does not keep a chosen file from one sending to the next: the admin lost it
    without a word. It now says so beside the file, as the site's upload page does."""
    body = factories.BodyFactory(organisation=organisation_a)
    deployment = factories.DeploymentFactory(organisation=organisation_a)
    client = client_for(editor_a)
    data = new_consultation_data(client, body, deployment)
    data.update(
        {
            "title": "",  # refused
            "documents-TOTAL_FORMS": "2",
            "documents-0-kind": "information_note",
            "documents-0-title": "Note d'information",
            "documents-0-file": SimpleUploadedFile("note.pdf", PDF),
            "documents-1-kind": "minutes",
            "documents-1-title": "Procès-verbal",  # no file chosen
        }
    )

    response = client.post(admin_url(Consultation, "add"), data)

    assert response.status_code == 200
    [documents] = [
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Document
    ]
    hint = "Le fichier, lui, est à choisir à nouveau"
    assert hint in str(documents.forms[0].errors["file"])
    assert "file" not in documents.forms[1].errors
    assert response.content.decode().count(hint) == 1
    assert not Consultation.objects.exists() and not Document.objects.exists()

    # Nor on a page shown, nor on the standalone page of a document refused for another reason.
    assert hint not in client.get(admin_url(Consultation, "add")).content.decode()
    consultation = factories.ConsultationFactory(body=body, deployment=deployment)
    response = client.post(
        admin_url(Document, "add"),
        {"consultation": consultation.pk, "kind": "information_note", "title": "", "file": ""},
    )
    assert response.status_code == 200 and hint not in response.content.decode()
    response = post_document(client, consultation, SimpleUploadedFile("note.exe", b"MZ" * 50))
    assert "n&#x27;est pas accepté" in response.content.decode()
    assert hint in response.content.decode()


@pytest.fixture
def votes_of_two_organisations(consultation_a, organisation_b):
    """Consultation A's votes (a motion's, an expert's appointment), another consultation's of
    organisation A, and one of organisation B."""
    meeting = factories.MeetingFactory(body=consultation_a.body)
    other = factories.ConsultationFactory(body=consultation_a.body, title="Autre consultation de A")
    return {
        "motion": factories.VoteFactory(meeting=meeting, consultation=consultation_a),
        "expert": factories.VoteFactory(
            meeting=meeting, consultation=consultation_a, subject=Vote.Subject.APPOINT_EXPERT
        ),
        "other": factories.VoteFactory(meeting=meeting, consultation=other),
        "other_expert": factories.VoteFactory(
            meeting=meeting, consultation=other, subject=Vote.Subject.APPOINT_EXPERT
        ),
        "b": factories.VoteFactory(
            meeting__body__organisation=organisation_b, consultation__title="Consultation de B"
        ),
    }


def vote_field(client, url, name):
    return client.get(url).context["adminform"].form.fields[name]


def test_a_motions_or_expertises_own_page_offers_its_consultations_votes(
    consultation_a, editor_a, votes_of_two_organisations
):
    """The pages of a motion and of an expertise offered every vote of every organisation,
    read « Motion ou résolution — 14 mars 2025 », and refused another consultation's only once
    saved (found by an editor's QA pass); as the consultation's page, they offer its own."""
    from consultations.models import Expertise

    votes = votes_of_two_organisations
    client = client_for(editor_a)
    motion = factories.MotionFactory(consultation=consultation_a)
    field = vote_field(client, admin_url(Motion, "change", motion.pk), "adopting_vote")
    assert set(field.queryset) == {votes["motion"], votes["expert"]}
    expertise = factories.ExpertiseFactory(consultation=consultation_a)
    field = vote_field(client, admin_url(Expertise, "change", expertise.pk), "appointing_vote")
    assert set(field.queryset) == {votes["expert"]}

    # A motion linked to a vote recorded without a consultation keeps it, to be saved again.
    loose = factories.VoteFactory(meeting=votes["motion"].meeting, consultation=None)
    Motion.objects.filter(pk=motion.pk).update(adopting_vote=loose)
    field = vote_field(client, admin_url(Motion, "change", motion.pk), "adopting_vote")
    assert set(field.queryset) == {votes["motion"], votes["expert"], loose}


def test_a_new_motion_or_expertise_offers_the_users_votes_named_with_their_consultation(
    editor_a, superuser, votes_of_two_organisations
):
    from consultations.models import Expertise

    votes = votes_of_two_organisations
    client = client_for(editor_a)
    field = vote_field(client, admin_url(Motion, "add"), "adopting_vote")
    assert set(field.queryset) == {votes["motion"], votes["expert"], votes["other"]} | {
        votes["other_expert"]
    }
    assert field.label_from_instance(votes["motion"]) == (
        "«\u00a0Consultation de A\u00a0»\u00a0: Motion ou résolution — 14 mars 2025 — Adoption de la motion"
    )
    assert field.label_from_instance(votes["other"]).startswith(
        "«\u00a0Autre consultation de A\u00a0»\u00a0: "
    )
    page = client.get(admin_url(Motion, "add")).content.decode()
    assert (
        "Consultation de A\u00a0»\u00a0: Motion ou résolution" in page
        and "Consultation de B" not in page
    )
    field = vote_field(client, admin_url(Expertise, "add"), "appointing_vote")
    assert set(field.queryset) == {votes["expert"], votes["other_expert"]}

    # Every organisation's to a superuser.
    field = vote_field(client_for(superuser), admin_url(Motion, "add"), "adopting_vote")
    assert votes["b"] in field.queryset


def test_the_page_of_a_new_motion_does_not_query_once_per_vote(
    superuser, votes_of_two_organisations
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(superuser)
    url = admin_url(Motion, "add")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        factories.VoteFactory(consultation__title="Encore une consultation")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("Encore une consultation\u00a0»\u00a0: ") == 5
    assert len(many) == len(few)


def test_the_page_adding_a_consultation_offers_no_other_consultations_records(
    superuser, votes_of_two_organisations
):
    """A new consultation has no vote, motion nor answer yet: a demand's « réglée par la
    réponse » offered every answer of every organisation (found by an editor's QA pass), a
    motion's vote every vote."""
    factories.MotionFactory()
    factories.ManagementResponseFactory()
    page = client_for(superuser).get(admin_url(Consultation, "add"))
    forms = {
        formset.formset.prefix: formset.formset.empty_form
        for formset in page.context["inline_admin_formsets"]
    }
    assert not forms["demands"].fields["settled_by"].queryset.exists()
    assert not forms["motions"].fields["adopting_vote"].queryset.exists()
    assert not forms["responses"].fields["motions"].queryset.exists()
    assert not forms["expertises"].fields["appointing_vote"].queryset.exists()


def test_an_answers_motions_are_boxes_to_tick_among_its_consultations(consultation_a, editor_a):
    """« Motions auxquelles elle répond » was a list where a click without Ctrl unselected the
    motions chosen before, without a word (found by an editor's QA pass)."""
    from consultations.models import ManagementResponse

    first = factories.MotionFactory(consultation=consultation_a, title="Première motion")
    second = factories.MotionFactory(consultation=consultation_a, title="Seconde motion")
    factories.MotionFactory(title="Motion d'une autre consultation")
    answer = factories.ManagementResponseFactory(consultation=consultation_a)
    answer.motions.set([first])
    url = admin_url(Consultation, "change", consultation_a.pk)
    client = client_for(editor_a)
    page = client.get(url)
    html = page.content.decode()
    assert 'type="checkbox" name="responses-0-motions"' in html
    assert "Motion d&#x27;une autre consultation" not in html
    assert 'id="add_id_responses-0-motions"' not in html  # a motion added there would not show

    data = admin_form_data(page, inlines=True)
    assert data["responses-0-motions"] == [first.pk]
    data["responses-0-motions"] = [first.pk, second.pk]  # the second box ticked
    response = client.post(url, data)
    assert response.status_code == 302
    assert set(ManagementResponse.objects.get().motions.all()) == {first, second}


def test_the_wide_rows_of_a_consultations_page_are_stacked(consultation_a, superuser):
    """Expertises, motions, answers and documents in rows pushed their last columns out of a
    1280-pixel screen (tests/browser checks the page's width)."""
    page = client_for(superuser).get(admin_url(Consultation, "change", consultation_a.pk))
    templates = {f.formset.prefix: f.opts.template for f in page.context["inline_admin_formsets"]}
    for prefix in ("expertises", "motions", "responses", "documents", "votes"):
        assert templates[prefix] == "admin/edit_inline/stacked.html", prefix
