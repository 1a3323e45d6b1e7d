"""Every URL of the project, for every persona, with the expected answer.

The URL patterns come from the resolver: a new URL without a row here fails
test_it_has_a_row_for_every_url. Records belong to organisation A and are internal (not
published), so the public and organisation B's editor must not see them.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from consultations.models import CalendarToken

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db

PERSONAS = ["superuser", "editor_a", "reader_a", "editor_b", "anonymous"]
LOGIN = 302  # sent to the sign-in page

# name: (arguments from the records, {persona: expected status}), for GET requests.
READ = {"superuser": 200, "editor_a": 200, "reader_a": 200, "editor_b": 404, "anonymous": 404}
EDIT = {"superuser": 200, "editor_a": 200, "reader_a": 403, "editor_b": 404, "anonymous": LOGIN}
CREATE = {"superuser": 200, "editor_a": 200, "reader_a": 403, "editor_b": 200, "anonymous": LOGIN}
SIGNED_IN = {
    "superuser": 200,
    "editor_a": 200,
    "reader_a": 200,
    "editor_b": 200,
    "anonymous": LOGIN,
}
OPEN = dict.fromkeys(PERSONAS, 200)

MATRIX = {
    "public-list": (lambda r: [], OPEN),
    "timeline-feed": (lambda r: [], OPEN),
    "consultation-detail": (lambda r: [r["consultation"].pk], READ),
    "document-download": (lambda r: [r["document"].pk], READ),
    "deployment-list": (lambda r: [], OPEN),
    "deployment-detail": (lambda r: [r["deployment"].pk], READ),
    "deployment-csv": (lambda r: [], OPEN),
    "workspace": (lambda r: [], SIGNED_IN),
    "consultation-list": (lambda r: [], SIGNED_IN),
    "deployment-create": (lambda r: [], CREATE),
    "deployment-edit": (lambda r: [r["deployment"].pk], EDIT),
    "consultation-create": (lambda r: [], CREATE),
    "consultation-edit": (lambda r: [r["consultation"].pk], EDIT),
    "meeting-log": (lambda r: [r["consultation"].pk], EDIT),
    "meeting-edit": (lambda r: [r["meeting"].pk], EDIT),
    "expertise-create": (lambda r: [r["consultation"].pk], EDIT),
    "expertise-edit": (lambda r: [r["expertise"].pk], EDIT),
    "response-create": (lambda r: [r["consultation"].pk], EDIT),
    "demands-edit": (lambda r: [r["consultation"].pk], EDIT),
    "document-upload": (lambda r: [r["consultation"].pk], EDIT),
    "motion-pdf": (lambda r: [r["motion"].pk], READ),
    "dossier-pdf": (lambda r: [r["consultation"].pk], READ),
    "register-pdf": (lambda r: [r["consultation"].body.pk, 2025], READ),
    "login": (
        lambda r: [],
        {**OPEN, **dict.fromkeys(["superuser", "editor_a", "reader_a", "editor_b"], 302)},
    ),
    # Sign-out is a POST: the address followed offers its button; signed out, to sign in.
    "logout": (lambda r: [], {**dict.fromkeys(PERSONAS, 200), "anonymous": 302}),
    "password-change": (lambda r: [], SIGNED_IN),
    "password-change-done": (lambda r: [], SIGNED_IN),
    "switch-language": (lambda r: ["en"], dict.fromkeys(PERSONAS, 302)),
    "calendar-settings": (lambda r: [], SIGNED_IN),
    # A POST: the address followed leads to the calendar page (signed in) or to sign in.
    "calendar-revoke": (lambda r: [], dict.fromkeys(PERSONAS, 302)),
    "calendar-feed": (lambda r: [r["token"]], OPEN),  # the secret is the key; a wrong one is 404
}
# Tested in tests/test_admin.py (every changelist, add and change page, both ways).
COVERED_ELSEWHERE = {"admin"}


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in COVERED_ELSEWHERE:
                continue
            yield from all_url_names(pattern, f"{namespace}{inner}:" if inner else namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


def test_it_has_a_row_for_every_url():
    names = set(all_url_names())
    assert names == {f"consultations:{name}" for name in MATRIX}, "add the new URL to MATRIX"


@pytest.fixture
def records(organisation_a, editor_a):
    body = factories.BodyFactory(organisation=organisation_a)
    consultation = factories.ConsultationFactory(body=body)
    meeting = factories.MeetingFactory(body=body, held_on=datetime.date(2025, 3, 14))
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
    return {
        "consultation": consultation,
        "meeting": meeting,
        "deployment": consultation.deployment,
        "expertise": factories.ExpertiseFactory(consultation=consultation),
        "motion": factories.MotionFactory(
            consultation=consultation, adopting_vote=vote, adopted_on=None
        ),
        "document": factories.DocumentFactory(
            consultation=consultation, file=SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n")
        ),
        "token": CalendarToken.for_user(editor_a).token,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_every_url_as_expected(request, records, superuser, reader_a, editor_b, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(user)
    wrong = []
    for name, (arguments, expected) in sorted(MATRIX.items()):
        response = client.get(reverse(f"consultations:{name}", args=arguments(records)))
        if response.status_code != expected[persona]:
            wrong.append((name, response.status_code, expected[persona]))
        elif expected[persona] == LOGIN and user is None and name != "switch-language":
            assert response["Location"].startswith(reverse("consultations:login")), name
    assert wrong == [], f"{persona}: (url, got, expected)"


@pytest.mark.parametrize(
    "name",
    [
        "consultation-list",
        "workspace",
        "deployment-list",
        "deployment-csv",
        "public-list",
        "timeline-feed",
        "calendar-feed",
    ],
)
def test_it_never_lists_another_organisations_internal_records(request, records, editor_b, name):
    arguments, _expected = MATRIX[name]
    if name == "calendar-feed":
        arguments = lambda r: [CalendarToken.for_user(editor_b).token]  # noqa: E731
    content = (
        client_for(editor_b).get(reverse(f"consultations:{name}", args=arguments(records))).content
    )
    assert records["consultation"].title.encode() not in content
    assert records["deployment"].name.encode() not in content
