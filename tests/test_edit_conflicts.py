"""Two people edit the same consultation: the second save is refused, showing what changed."""

import pytest
from django.urls import reverse

from consultations.models import Consultation

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db


def form_data(page_form, **changes):
    data = {
        name: value
        for name, value in page_form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data["legal_bases"] = page_form.initial.get("legal_bases", [])
    data.update(changes)
    return data


def test_it_refuses_the_second_save_and_shows_the_changes(organisation_a, editor_a):
    other_editor = factories.UserFactory(username="editor-a2")
    factories.MembershipFactory(user=other_editor, organisation=organisation_a)
    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a), title="Titre commun"
    )
    url = reverse("consultations:consultation-edit", args=[consultation.pk])
    first, second = client_for(editor_a), client_for(other_editor)
    form_one = first.get(url).context["form"]
    form_two = second.get(url).context["form"]

    assert first.post(url, form_data(form_one, title="Titre de l'une")).status_code == 302
    refused = second.post(url, form_data(form_two, title="Titre de l'autre", summary="Mon résumé"))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert page.count("pendant que vous la modifiiez") == 1  # in the summary, not repeated
    # The conflict's message says the input is kept: the summary does not say it again (found
    # by the editor's QA pass).
    assert page.count("conservé") == 1 and "Vos saisies sont conservées ci-dessous" in page
    assert "Titre commun" in page and "Titre de l&#x27;une" in page  # what changed, old and new
    assert "Mon résumé" in page  # nothing typed is lost
    # The heading names the consultation as saved, not as the refused form had it.
    heading = page.split('<p class="lead">', 1)[1].split("</p>", 1)[0]
    assert "Titre de l&#x27;une" in heading and "Titre commun" not in heading
    consultation.refresh_from_db()
    assert consultation.title == "Titre de l'une"

    again = refused.context["form"]
    retry = form_data(again, title="Titre de l'autre", version=again.data["version"])
    assert second.post(url, retry).status_code == 302
    assert Consultation.objects.get().title == "Titre de l'autre"


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("fr", "Intitulé\u00a0: «\u00a0Titre commun\u00a0» → «\u00a0Titre de l'une\u00a0»"),
        ("en", "Title: “Titre commun” → “Titre de l'une”"),
    ],
)
def test_it_writes_the_changes_with_the_readers_punctuation(organisation_a, language, line):
    from django.utils import translation

    from consultations.edit_conflicts import current_version, describe_changes

    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a), title="Titre commun"
    )
    version = current_version(consultation)
    consultation.title = "Titre de l'une"
    consultation.save()
    with translation.override(language):
        assert describe_changes(consultation, version) == [line]


def test_it_writes_the_changes_as_the_form_shows_them(organisation_a, editor_a):
    """Labels, not stored codes; dates written out; a dash for nothing (found by QA: it
    showed « ['L2312-8'] », « None », « internal »)."""
    import datetime

    from django.utils import translation

    from consultations.edit_conflicts import current_version, describe_changes
    from consultations.forms import ConsultationEditForm

    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a),
        legal_bases=["L2312-8"],
        information_received_on=None,
        visibility="public",
    )
    version = current_version(consultation)
    consultation.legal_bases = ["L2312-8", "L2312-38-3"]
    consultation.information_received_on = datetime.date(2025, 3, 3)
    consultation.visibility = "internal"
    consultation.save()
    form = ConsultationEditForm(instance=consultation, user=editor_a)
    lines = describe_changes(consultation, version, form.fields)
    text = " | ".join(lines).replace("\u00a0", " ")
    assert "['" not in text and "None" not in text and "internal" not in text
    assert "— → « 3 mars 2025 »" in text
    assert "Visibilité : « Publique » → « Interne »" in text
    assert "« L2312-8 II 4° : introduction de nouvelles technologies » → « L2312-8 II 4°" in text
    with translation.override("en"):
        form = ConsultationEditForm(instance=consultation, user=editor_a)
        english = " | ".join(describe_changes(consultation, version, form.fields))
    assert "— → “3 March 2025”" in english


def every_initial(page_form, **changes):
    """What the page's form would post back, unchanged, then ``changes``."""
    data = {}
    for name, field in page_form.fields.items():
        value = page_form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        data[name] = value
    return data | changes


@pytest.mark.parametrize("record", ["deployment", "expertise"])
def test_the_system_and_expertise_forms_refuse_a_stale_save_too(organisation_a, editor_a, record):
    other_editor = factories.UserFactory(username="editor-a2")
    factories.MembershipFactory(user=other_editor, organisation=organisation_a)
    body = factories.BodyFactory(organisation=organisation_a)
    consultation = factories.ConsultationFactory(body=body, deployment__organisation=organisation_a)
    if record == "deployment":
        instance = consultation.deployment
        url = reverse("consultations:deployment-edit", args=[instance.pk])
        first_change, second_change = {"vendor": "Fournisseur A"}, {"description": "Texte B"}
        field = "vendor"
    else:
        instance = factories.ExpertiseFactory(consultation=consultation)
        url = reverse("consultations:expertise-edit", args=[instance.pk])
        first_change, second_change = {"expert_firm": "Cabinet A"}, {"findings": "Conclusions B"}
        field = "expert_firm"
    first, second = client_for(editor_a), client_for(other_editor)
    form_one = first.get(url).context["form"]
    form_two = second.get(url).context["form"]
    assert 'name="version"' in second.get(url).content.decode()

    assert first.post(url, every_initial(form_one, **first_change)).status_code == 302
    refused = second.post(url, every_initial(form_two, **second_change))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "pendant que vous la modifiiez" in page
    assert next(iter(second_change.values())) in page  # nothing typed is lost
    instance.refresh_from_db()
    assert getattr(instance, field) == next(iter(first_change.values()))


def test_the_fields_left_alone_take_the_other_persons_values(organisation_a, editor_a):
    """Found by the editor's QA pass: the refused form kept the values of when it was opened in
    every field, so saving again wrote back the old summary over the colleague's."""
    import datetime

    other_editor = factories.UserFactory(username="editor-a2")
    factories.MembershipFactory(user=other_editor, organisation=organisation_a)
    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a),
        title="Titre commun",
        summary="Résumé d'origine",
        legal_bases=["L2312-8"],
        two_level=False,
    )
    url = reverse("consultations:consultation-edit", args=[consultation.pk])
    first, second = client_for(editor_a), client_for(other_editor)
    form_one = first.get(url).context["form"]
    form_two = second.get(url).context["form"]
    first_change = {
        "summary": "Résumé de l'une",
        "legal_bases": ["L2312-8", "L2312-38-3"],
        "information_received_on": "2025-04-01",
        "two_level": "on",
        "title": "Titre de l'une",
    }
    assert first.post(url, form_data(form_one, **first_change)).status_code == 302

    # The other changes the title only (both changed it: their input stays).
    refused = second.post(url, form_data(form_two, title="Titre de l'autre"))
    assert refused.status_code == 200
    again = refused.context["form"]
    assert again["title"].value() == "Titre de l'autre"
    assert again["summary"].value() == "Résumé de l'une"
    assert again["legal_bases"].value() == ["L2312-8", "L2312-38-3"]
    assert again["information_received_on"].value() == "2025-04-01"
    assert again["two_level"].value() is True
    page = refused.content.decode()
    assert "Résumé de l&#x27;une" in page and 'value="2025-04-01"' in page

    # Saving again, as the page now stands, keeps the first person's changes.
    retry = {name: again[name].value() for name in again.fields if again[name].value() is not None}
    retry["two_level"] = "on"
    assert second.post(url, retry).status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "Titre de l'autre"
    assert consultation.summary == "Résumé de l'une"
    assert consultation.legal_bases == ["L2312-8", "L2312-38-3"]
    assert consultation.information_received_on == datetime.date(2025, 4, 1)
    assert consultation.two_level is True


def test_a_box_the_other_person_unticked_shows_unticked(organisation_a, editor_a):
    other_editor = factories.UserFactory(username="editor-a2")
    factories.MembershipFactory(user=other_editor, organisation=organisation_a)
    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a), two_level=True
    )
    url = reverse("consultations:consultation-edit", args=[consultation.pk])
    first, second = client_for(editor_a), client_for(other_editor)
    form_one = first.get(url).context["form"]
    form_two = second.get(url).context["form"]
    unticked = form_data(form_one)
    unticked.pop("two_level")
    assert first.post(url, unticked).status_code == 302
    refused = second.post(url, form_data(form_two, title="Autre titre", two_level="on"))
    assert refused.status_code == 200
    assert refused.context["form"]["two_level"].value() is False


def test_an_expertise_date_saved_meanwhile_is_not_erased(organisation_a, editor_a):
    import datetime

    other_editor = factories.UserFactory(username="editor-a2")
    factories.MembershipFactory(user=other_editor, organisation=organisation_a)
    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a),
        deployment__organisation=organisation_a,
    )
    expertise = factories.ExpertiseFactory(consultation=consultation)
    url = reverse("consultations:expertise-edit", args=[expertise.pk])
    first, second = client_for(editor_a), client_for(other_editor)
    form_one = first.get(url).context["form"]
    form_two = second.get(url).context["form"]
    assert (
        first.post(url, every_initial(form_one, spec_notified_on="2025-03-17")).status_code == 302
    )
    refused = second.post(url, every_initial(form_two, findings="Conclusions B"))
    again = refused.context["form"]
    assert again["spec_notified_on"].value() == "2025-03-17"
    retry = {name: again[name].value() for name in again.fields if again[name].value() is not None}
    assert second.post(url, retry).status_code == 302
    expertise.refresh_from_db()
    assert expertise.spec_notified_on == datetime.date(2025, 3, 17)
    assert expertise.findings == "Conclusions B"


def test_links_changed_meanwhile_are_named_by_their_records(organisation_a):
    """A meeting's agenda changed by another person: simple_history gives each side as rows of
    the links (« {'meeting': 3, 'consultation': 7} »); the change reads with the titles the
    form offers, and is merged as the ids its field holds. A record the form does not offer is
    said by its id, not named."""
    from django import forms

    from consultations.edit_conflicts import changes_since, current_version, describe_changes

    body = factories.BodyFactory(organisation=organisation_a)
    calls = factories.ConsultationFactory(body=body, title="Analyse des appels")
    badge = factories.ConsultationFactory(body=body, title="Badgeuse")
    hidden = factories.ConsultationFactory(title="Projet d'une autre société")
    meeting = factories.MeetingFactory(body=body)
    meeting.consultations.add(calls)
    opened = current_version(meeting)
    meeting.save()  # another person's save, with its agenda (one history row)
    meeting.consultations.set([calls, badge, hidden])

    [change] = changes_since(meeting, opened)
    assert (change.field, change.old, sorted(change.new)) == (
        "consultations",
        [calls.pk],
        sorted([calls.pk, badge.pk, hidden.pk]),
    )
    offered = forms.ModelMultipleChoiceField(queryset=body.consultations.all())
    [line] = describe_changes(meeting, opened, {"consultations": offered})
    assert line == (
        "Consultations à l'ordre du jour\u00a0: «\u00a0Analyse des appels\u00a0» → "
        f"«\u00a0Analyse des appels, Badgeuse, {hidden.pk}\u00a0»"
    )
