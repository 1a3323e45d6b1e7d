"""Rules a security review verified and that no test held yet: an inactive account is an
anonymous visitor everywhere; the admin's autocomplete and every drop-down of its forms (their
inlines included) offer an editor her organisations' records only; another organisation's
editor cannot revert a record to an old version; staff status without an editor's membership
opens no admin page."""

import datetime

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ModelChoiceField
from django.urls import reverse

from consultations.models import CalendarToken

from . import factories
from .conftest import client_for
from .test_permission_matrix import MATRIX, records  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

D = datetime.date


def one_of_each(organisation, mark):
    """A record of every kind of ``organisation``, each named with ``mark``."""
    body = factories.BodyFactory(organisation=organisation, name=f"CSE {mark}")
    deployment = factories.DeploymentFactory(organisation=organisation, name=f"Système {mark}")
    consultation = factories.ConsultationFactory(
        body=body,
        deployment=deployment,
        title=f"Consultation {mark}",
        information_received_on=D(2025, 3, 3),
    )
    meeting = factories.MeetingFactory(body=body, held_on=D(2025, 3, 14), place=f"Salle {mark}")
    meeting.consultations.add(consultation)
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation, question=mark)
    motion = factories.MotionFactory(
        consultation=consultation, adopting_vote=vote, title=f"Motion {mark}"
    )
    response = factories.ManagementResponseFactory(
        consultation=consultation, received_on=D(2025, 4, 1), text=mark
    )
    response.motions.add(motion)
    return {
        "organisation": organisation,
        "body": body,
        "deployment": deployment,
        "consultation": consultation,
        "meeting": meeting,
        "vote": vote,
        "motion": motion,
        "managementresponse": response,
        "demand": factories.DemandFactory(consultation=consultation, text=mark),
        "document": factories.DocumentFactory(
            consultation=consultation,
            title=f"Document {mark}",
            file=SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n"),
        ),
        "event": factories.EventFactory(consultation=consultation, title=f"Événement {mark}"),
        "expertise": factories.ExpertiseFactory(
            consultation=consultation, expert_firm=f"Cabinet {mark}"
        ),
        "clockstop": factories.ClockStopFactory(consultation=consultation, note=mark),
    }


@pytest.mark.parametrize("persona", ["editor_a", "superuser"])
def test_an_inactive_account_is_an_anonymous_visitor_everywhere(request, records, persona):  # noqa: F811
    user = request.getfixturevalue(persona)
    client = client_for(user)  # signed in, then deactivated: the session is still there
    user.is_active = False
    user.save()
    anonymous = client_for(None)
    for name, (arguments, _expected) in sorted(MATRIX.items()):
        url = reverse(f"consultations:{name}", args=arguments(records))
        if name == "calendar-feed":  # the secret alone opens it, but not an inactive user's
            own = reverse(f"consultations:{name}", args=[CalendarToken.for_user(user).token])
            assert client.get(own).status_code == 404
            continue
        assert client.get(url).status_code == anonymous.get(url).status_code, name
    change = reverse("admin:consultations_consultation_change", args=[records["consultation"].pk])
    for url in (reverse("admin:index"), change):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_the_admins_autocomplete_offers_an_editor_her_records_only(
    organisation_a, organisation_b, editor_a
):
    one_of_each(organisation_a, "Alpha")
    one_of_each(organisation_b, "Bravo")
    client = client_for(editor_a)
    asked = 0
    for model in admin.site._registry:
        if model._meta.app_label != "consultations":
            continue
        for field in model._meta.get_fields():
            if not (field.concrete and field.is_relation):
                continue
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": "consultations",
                    "model_name": model._meta.model_name,
                    "field_name": field.name,
                    "term": "",
                },
            )
            asked += 1
            assert response.status_code in (200, 403, 404), (model, field.name)
            assert b"Bravo" not in response.content, (model, field.name)
            assert b"Organisation B" not in response.content, (model, field.name)
    assert asked > 20


def test_no_drop_down_of_the_admin_offers_an_editor_another_organisations_record(
    organisation_a, organisation_b, editor_a, rf
):
    ours = one_of_each(organisation_a, "Alpha")
    theirs = one_of_each(organisation_b, "Bravo")
    theirs_keys = {(type(record), record.pk) for record in theirs.values()}
    request = rf.get("/")
    request.user = editor_a
    offered = []
    for model, model_admin in admin.site._registry.items():
        name = model._meta.model_name
        if model._meta.app_label != "consultations" or not model_admin.has_module_permission(
            request
        ):
            continue
        for obj in (None, ours.get(name)):
            fields = dict(model_admin.get_form(request, obj).base_fields)
            for inline in model_admin.get_inline_instances(request, obj):
                formset = inline.get_formset(request, obj)
                fields.update(
                    {
                        f"{inline.model.__name__}.{key}": f
                        for key, f in formset.form.base_fields.items()
                    }
                )
            for field_name, field in fields.items():
                if isinstance(field, ModelChoiceField):
                    offered += [
                        (name, field_name)
                        for record in field.queryset
                        if (type(record), record.pk) in theirs_keys
                    ]
    assert offered == []


def test_another_organisations_editor_cannot_revert_a_record_to_an_old_version(
    organisation_a, editor_a, editor_b
):
    consultation = one_of_each(organisation_a, "Alpha")["consultation"]
    version = consultation.history.earliest().history_id
    consultation.title = "Titre actuel"
    consultation.save()
    revert = reverse(
        "admin:consultations_consultation_simple_history", args=[consultation.pk, version]
    )
    page = client_for(editor_a).get(revert)
    assert page.status_code == 200
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None
    }
    response = client_for(editor_b).post(revert, {**data, "title": "Piraté"})
    assert response.status_code == 404
    consultation.refresh_from_db()
    assert consultation.title == "Titre actuel"


def test_a_staff_account_without_an_editors_membership_opens_nothing_in_the_admin(
    organisation_a, reader_a
):
    """Staff status lets one into the admin; only an editor's membership opens its pages."""
    ours = one_of_each(organisation_a, "Alpha")
    reader_a.is_staff = True
    reader_a.save()
    nobody = factories.UserFactory(username="personnel", is_staff=True)
    for user in (reader_a, nobody):
        client = client_for(user)
        assert b"Alpha" not in client.get(reverse("admin:index")).content
        for model in admin.site._registry:
            if model._meta.app_label != "consultations":
                continue
            name = model._meta.model_name
            base = f"admin:consultations_{name}"
            urls = [reverse(f"{base}_changelist"), reverse(f"{base}_add")]
            if name in ours:
                urls += [
                    reverse(f"{base}_change", args=[ours[name].pk]),
                    reverse(f"{base}_history", args=[ours[name].pk]),
                ]
            for url in urls:
                response = client.get(url)
                assert response.status_code in (403, 404), (user, url, response.status_code)
                assert b"Alpha" not in response.content, (user, url)
