"""The register of AI systems: who sees what, the red flags on the pages, the CSV export."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse

from consultations.models import Body, Consultation
from consultations.models.consultation import LegalBasis
from consultations.rules.flags import Flag

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def emotions(organisation_a):
    deployment = factories.DeploymentFactory(
        organisation=organisation_a,
        name="Analyse vocale",
        functions=["emotion_recognition"],
        emotion_subject="workers",
        emotion_input="biometric",
        notes="NOTE-SYSTEME-INTERNE",
    )
    body = factories.BodyFactory(organisation=organisation_a)
    factories.ConsultationFactory(body=body, deployment=deployment, title="Consultation interne")
    return deployment


@pytest.fixture
def planning(organisation_b):
    return factories.DeploymentFactory(
        organisation=organisation_b, name="Planning", functions=["generation"]
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("superuser", 200),
        ("editor_a", 200),
        ("reader_a", 200),
        ("editor_b", 404),
        ("anonymous", 404),
    ],
)
def test_it_shows_an_unpublished_system_only_to_members(request, emotions, persona, expected):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_for(user).get(reverse("consultations:deployment-detail", args=[emotions.pk]))
    assert response.status_code == expected
    if expected == 200:
        page = response.content.decode()
        assert "pratique interdite" in page and "5(1)(f)" in page


def test_it_shows_a_published_system_to_anyone_without_internal_notes(emotions, client):
    Consultation.objects.update(visibility=Consultation.Visibility.PUBLIC)
    page = client.get(
        reverse("consultations:deployment-detail", args=[emotions.pk])
    ).content.decode()
    assert "Analyse vocale" in page and "NOTE-SYSTEME-INTERNE" not in page


def test_it_lists_only_what_the_reader_may_see(emotions, planning, reader_a, client):
    url = reverse("consultations:deployment-list")
    page = client_for(reader_a).get(url).content.decode()
    assert "Analyse vocale" in page and "Planning" not in page
    assert "Analyse vocale" not in client.get(url).content.decode()


def test_it_filters_by_flag_level(emotions, organisation_a, reader_a):
    factories.DeploymentFactory(
        organisation=organisation_a, name="Rédaction", functions=["generation"]
    )
    url = reverse("consultations:deployment-list")
    page = client_for(reader_a).get(url, {"flag_level": "prohibited"}).content.decode()
    assert "Analyse vocale" in page and "Rédaction" not in page


def test_the_register_names_the_level_of_a_flag_to_check(organisation_a, reader_a):
    """Its worst flag only to check, a system's flags column said "1" and nothing else."""
    factories.DeploymentFactory(
        organisation=organisation_a,
        name="Enregistreur",
        recording_mode="systematic",
        functions=["transcription"],
    )
    page = client_for(reader_a).get(reverse("consultations:deployment-list")).content.decode()
    row = page[page.index("Enregistreur") :]
    row = row[: row.index("</tr>")]
    check = '<span class="badge text-bg-light border">À vérifier</span>'
    assert f'<td class="d-none d-md-table-cell">3 {check}</td>' in row
    assert f"3 signalements {check}" in row  # on a phone


def test_it_filters_consultations_by_flag_level(emotions, organisation_a, reader_a):
    other = factories.DeploymentFactory(
        organisation=organisation_a, name="Rédaction", functions=["generation"]
    )
    factories.ConsultationFactory(
        body=emotions.consultations.get().body, deployment=other, title="Sur la rédaction"
    )
    page = (
        client_for(reader_a)
        .get(reverse("consultations:consultation-list"), {"flag_level": "high"})
        .content.decode()
    )
    assert "Consultation interne" in page and "Sur la rédaction" not in page


def test_it_exports_the_register_as_csv(emotions, reader_a):
    emotions.name = "=HYPERLINK(1)"
    emotions.save()
    response = client_for(reader_a).get(reverse("consultations:deployment-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1] == "Système d'IA"
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert "pratique interdite" in rows[1][6]


def test_it_shows_the_flags_on_the_consultation_page(emotions, reader_a):
    consultation = emotions.consultations.get()
    page = (
        client_for(reader_a)
        .get(reverse("consultations:consultation-detail", args=[consultation.pk]))
        .content.decode()
    )
    assert "Règles en jeu" in page and "pratique interdite" in page


def test_it_lists_the_flags_in_the_dossier_pdf(emotions, reader_a):
    from pypdf import PdfReader

    consultation = emotions.consultations.get()
    response = client_for(reader_a).get(
        reverse("consultations:dossier-pdf", args=[consultation.pk])
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Règles en jeu" in text and "5(1)(f)" in text


def test_its_column_headings_sort_the_register_and_its_export(organisation_a, reader_a):
    """By system, organisation or go-live, the filters kept; the CSV follows the same order;
    an unknown sort is a form error, not a 500."""
    import datetime
    import re

    for name, go_live in (("Bravo", datetime.date(2025, 5, 1)), ("Alpha", None)):
        factories.DeploymentFactory(organisation=organisation_a, name=name, actual_go_live=go_live)
    factories.DeploymentFactory(
        organisation=organisation_a, name="Charlie", actual_go_live=datetime.date(2024, 1, 1)
    )
    client = client_for(reader_a)
    url = reverse("consultations:deployment-list")

    def names(response):
        return re.findall(r">(Alpha|Bravo|Charlie)</a>", response.content.decode())

    assert names(client.get(url)) == ["Alpha", "Bravo", "Charlie"]
    assert names(client.get(url, {"sort": "-system"})) == ["Charlie", "Bravo", "Alpha"]
    # A system not yet in service comes last either way, on PostgreSQL as on SQLite.
    assert names(client.get(url, {"sort": "-go_live"})) == ["Bravo", "Charlie", "Alpha"]
    assert names(client.get(url, {"sort": "go_live"})) == ["Charlie", "Bravo", "Alpha"]
    assert names(client.get(url, {"sort": ","})) == ["Alpha", "Bravo", "Charlie"]
    page = client.get(url, {"q": "a", "sort": "system"}).content.decode()
    assert 'href="?q=a&amp;sort=-system"' in page
    assert "sort=system&amp;sort" not in page
    response = client.get(url, {"sort": "nonsense"})
    assert response.status_code == 200
    export = client.get(reverse("consultations:deployment-csv"), {"sort": "-system"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["Charlie", "Bravo", "Alpha"]


@pytest.mark.parametrize(
    ("language", "cited", "not_cited"),
    [("fr", "AI Act annexe III 4(b)", "annex III"), ("en", "AI Act annex III 4(b)", "annexe III")],
)
def test_it_cites_the_flags_sources_in_the_readers_language(
    organisation_a, reader_a, settings, language, cited, not_cited
):
    """The article numbers stay; the words around them ("annexe", "RGPD", "C. trav.") follow
    the reader's language, on the page and in the CSV."""
    deployment = factories.DeploymentFactory(organisation=organisation_a, functions=["scoring"])
    client = client_for(reader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("consultations:deployment-detail", args=[deployment.pk]))
    assert cited in page.content.decode() and not_cited not in page.content.decode()
    export = client.get(reverse("consultations:deployment-csv")).content.decode("utf-8-sig")
    assert cited in export and not_cited not in export


@pytest.mark.parametrize(("go_live", "flagged"), [(D(2025, 4, 3), True), (D(2025, 4, 4), False)])
def test_a_go_live_on_the_last_day_comes_before_the_deemed_opinion(
    organisation_a, go_live, flagged
):
    """The opinion is deemed negative once the last day has ended (R2312-6): going live on the
    last day is going live before the council's opinion."""
    deployment = factories.DeploymentFactory(organisation=organisation_a, actual_go_live=go_live)
    factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        information_received_on=D(2025, 3, 3),  # last day 3 April 2025
    )
    flags = {flag.code for flag in deployment.red_flags()}
    assert (Flag.GO_LIVE_BEFORE_OPINION in flags) is flagged


def go_live_flagged(deployment) -> bool:
    return Flag.GO_LIVE_BEFORE_OPINION in {flag.code for flag in deployment.red_flags()}


def test_a_go_live_before_the_central_councils_opinion_is_flagged(organisation_a):
    """In a two-level consultation the project waits for the central council's opinion, given
    after the establishments' (R2312-6 II): going live between the two is too early."""
    central = factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSE_CENTRAL)
    establishment = factories.BodyFactory(
        organisation=organisation_a, kind=Body.Kind.CSE_ESTABLISHMENT, parent=central
    )
    deployment = factories.DeploymentFactory(
        organisation=organisation_a, actual_go_live=D(2025, 4, 1)
    )
    for body, opinion_on in ((establishment, D(2025, 3, 20)), (central, D(2025, 4, 3))):
        factories.ConsultationFactory(
            body=body,
            deployment=deployment,
            two_level=True,
            opinion=Consultation.Opinion.UNFAVOURABLE,
            opinion_on=opinion_on,
        )
    assert go_live_flagged(deployment)

    deployment.actual_go_live = D(2025, 4, 3)
    assert not go_live_flagged(deployment)


@pytest.mark.parametrize(
    ("central_t0", "central_opinion_on", "flagged"),
    [
        (D(2025, 3, 1), D(2025, 3, 28), True),  # the same consultation: waits for the central
        # The central's opinion came before the go-live, the establishment's was still owed.
        (D(2025, 3, 1), D(2025, 3, 24), True),
        (D(2023, 1, 9), D(2023, 2, 6), True),  # another year's: the establishment's counts
    ],
)
def test_only_the_central_side_of_the_same_consultation_stands_for_an_establishments(
    organisation_a, central_t0, central_opinion_on, flagged
):
    """An establishment's side is left out for the central's only when they are the same
    two-level consultation (periods that overlap): a central consultation of 2023 does not
    stand for an establishment's of 2025 still without an opinion."""
    central = factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSE_CENTRAL)
    establishment = factories.BodyFactory(
        organisation=organisation_a, kind=Body.Kind.CSE_ESTABLISHMENT, parent=central
    )
    deployment = factories.DeploymentFactory(
        organisation=organisation_a, actual_go_live=D(2025, 3, 25)
    )
    factories.ConsultationFactory(
        body=central,
        deployment=deployment,
        two_level=True,
        information_received_on=central_t0,
        opinion=Consultation.Opinion.UNFAVOURABLE,
        opinion_on=central_opinion_on,
    )
    factories.ConsultationFactory(
        body=establishment,
        deployment=deployment,
        two_level=True,
        information_received_on=D(2025, 3, 3),
    )
    assert go_live_flagged(deployment) is flagged


def test_another_central_councils_consultation_does_not_stand_for_an_establishments(
    organisation_a,
):
    """With its central CSE recorded, an establishment's side waits only for that council."""
    central, other_central = (
        factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSE_CENTRAL)
        for _ in range(2)
    )
    establishment = factories.BodyFactory(
        organisation=organisation_a, kind=Body.Kind.CSE_ESTABLISHMENT, parent=central
    )
    deployment = factories.DeploymentFactory(
        organisation=organisation_a, actual_go_live=D(2025, 3, 25)
    )
    for body, opinion_on in ((other_central, D(2025, 3, 20)), (establishment, None)):
        factories.ConsultationFactory(
            body=body,
            deployment=deployment,
            two_level=True,
            information_received_on=D(2025, 3, 3),
            opinion=Consultation.Opinion.UNFAVOURABLE if opinion_on else "",
            opinion_on=opinion_on,
        )
    assert go_live_flagged(deployment)


def test_a_go_live_after_the_period_ended_is_not_flagged_for_a_late_opinion(organisation_a):
    """Once the period ended without an opinion, the council was deemed to have given a
    negative one and the employer could proceed (R2312-6, LEGAL.md trap 7): an opinion recorded
    later does not make the go-live premature."""
    deployment = factories.DeploymentFactory(
        organisation=organisation_a, actual_go_live=D(2025, 4, 10)
    )
    factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        information_received_on=D(2025, 3, 3),  # last day 3 April 2025
        opinion=Consultation.Opinion.UNFAVOURABLE,
        opinion_on=D(2025, 4, 20),
    )
    assert not go_live_flagged(deployment)


def test_the_public_reads_the_flags_members_read(organisation_a, reader_a, client):
    """The flags are drawn from every consultation of the system: with the monitoring
    consultation internal, the public must not read that the council was not consulted."""
    deployment = factories.DeploymentFactory(
        organisation=organisation_a, functions=["scoring"], actual_go_live=D(2025, 5, 1)
    )
    for visibility, legal_bases in (
        (Consultation.Visibility.PUBLIC, ["L2312-8"]),
        (Consultation.Visibility.INTERNAL, [LegalBasis.MONITORING]),
    ):
        factories.ConsultationFactory(
            body__organisation=organisation_a,
            deployment=deployment,
            visibility=visibility,
            legal_bases=legal_bases,
            opinion=Consultation.Opinion.FAVOURABLE,
            opinion_on=D(2025, 3, 20),
        )
    url = reverse("consultations:deployment-detail", args=[deployment.pk])
    public, member = client.get(url), client_for(reader_a).get(url)

    assert public.context["flags"] == member.context["flags"]
    assert Flag.CSE_NOT_CONSULTED not in {flag.code for flag in public.context["flags"]}
    register = client.get(reverse("consultations:deployment-list"))
    [(_deployment, flags, _latest, _clock)] = register.context["rows"]
    assert flags == public.context["flags"]


@pytest.mark.parametrize(
    ("recordings", "analysis", "english"),
    [
        (12, None, "Retention beyond the recommended periods: recordings beyond 6 months."),
        (None, 24, "Retention beyond the recommended periods: analysis sheets beyond one year."),
        (
            12,
            24,
            "Retention beyond the recommended periods: recordings beyond 6 months, analysis "
            "sheets beyond one year.",
        ),
    ],
)
def test_the_retention_flag_is_explained_in_the_readers_language(
    organisation_a, recordings, analysis, english
):
    from django.utils import translation

    deployment = factories.DeploymentFactory(
        organisation=organisation_a,
        retention_recordings_months=recordings,
        retention_analysis_months=analysis,
    )
    with translation.override("en"):
        flag = next(f for f in deployment.red_flags() if f.code == Flag.LONG_RETENTION)
    assert flag.explanation == english


@pytest.mark.parametrize(
    ("later_t0", "flagged"),
    [
        (None, False),  # a follow-up not yet started
        (D(2025, 9, 1), False),  # a consultation on a change, opened after the go-live
    ],
)
def test_a_consultation_opened_after_the_go_live_does_not_flag_it(
    organisation_a, client, later_t0, flagged
):
    """The go-live came after the opinion of the consultation on it; an internal follow-up
    (a change to the system in service) neither makes it premature nor shows to the public."""
    deployment = factories.DeploymentFactory(
        organisation=organisation_a, actual_go_live=D(2025, 6, 1)
    )
    factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        visibility=Consultation.Visibility.PUBLIC,
        opinion=Consultation.Opinion.FAVOURABLE,
        opinion_on=D(2025, 3, 20),
    )
    factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        information_received_on=later_t0,
    )
    assert go_live_flagged(deployment) is flagged
    page = client.get(reverse("consultations:deployment-detail", args=[deployment.pk]))
    assert Flag.GO_LIVE_BEFORE_OPINION not in {flag.code for flag in page.context["flags"]}


def test_a_system_live_before_its_only_consultation_started_is_flagged(organisation_a):
    deployment = factories.DeploymentFactory(
        organisation=organisation_a, actual_go_live=D(2025, 2, 1)
    )
    factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        information_received_on=D(2025, 3, 3),
        opinion=Consultation.Opinion.UNFAVOURABLE,
        opinion_on=D(2025, 3, 20),
    )
    assert go_live_flagged(deployment)


def test_the_flag_level_filter_reads_the_flags_in_a_fixed_number_of_queries(
    organisation_a, django_assert_max_num_queries
):
    for _index in range(6):
        deployment = factories.DeploymentFactory(organisation=organisation_a, functions=["scoring"])
        factories.ConsultationFactory(body__organisation=organisation_a, deployment=deployment)
    from consultations.models import Deployment
    from consultations.rules.flags import Severity

    with django_assert_max_num_queries(2):
        found = Deployment.objects.all().with_flag_severity({Severity.HIGH, Severity.WARNING})
    assert len(found) == 6


def test_its_page_lists_only_the_retention_periods_recorded(organisation_a, client):
    import html
    import re

    def retention_line(deployment):
        page = client.get(reverse("consultations:deployment-detail", args=[deployment.pk]))
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split())
        return text.split("Conservation", 1)[1].split("Consultations sur ce système")[0].strip()

    kept = factories.DeploymentFactory(
        organisation=organisation_a, retention_recordings_months=1, retention_scores_months=12
    )
    unknown = factories.DeploymentFactory(organisation=organisation_a)
    for deployment in (kept, unknown):
        factories.ConsultationFactory(
            body__organisation=organisation_a,
            deployment=deployment,
            visibility=Consultation.Visibility.PUBLIC,
        )
    assert retention_line(kept) == "enregistrements : 1 mois · scores : 12 mois"
    assert retention_line(unknown) == "Non renseignée"


def test_a_withdrawn_project_owes_no_opinion_to_the_go_live_flag(organisation_a):
    """LEGAL.md (b) 5: withdrawn is an outcome of its own, not an opinion still to come."""
    deployment = factories.DeploymentFactory(
        organisation=organisation_a, actual_go_live=D(2025, 3, 25)
    )
    factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        information_received_on=D(2025, 3, 3),  # its period would have run to 3 April
        status=Consultation.Status.WITHDRAWN,
    )
    factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        information_received_on=D(2025, 3, 1),
        opinion=Consultation.Opinion.FAVOURABLE,
        opinion_on=D(2025, 3, 20),
    )
    assert not go_live_flagged(deployment)


def test_a_monitoring_consultation_never_started_is_no_consultation(organisation_a):
    """L2312-38: the council is consulted once it has the information; a consultation on the
    monitoring recorded without it does not silence the flag."""
    deployment = factories.DeploymentFactory(
        organisation=organisation_a, functions=["scoring"], actual_go_live=D(2025, 2, 10)
    )
    factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        legal_bases=[LegalBasis.NEW_TECHNOLOGY],
        information_received_on=D(2025, 1, 6),
        opinion=Consultation.Opinion.FAVOURABLE,
        opinion_on=D(2025, 2, 3),
    )
    monitoring = factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        legal_bases=[LegalBasis.MONITORING],
        information_received_on=None,
    )
    assert Flag.CSE_NOT_CONSULTED in {flag.code for flag in deployment.red_flags()}
    monitoring.information_received_on = D(2025, 1, 20)
    monitoring.save()
    deployment = type(deployment).objects.get(pk=deployment.pk)
    assert Flag.CSE_NOT_CONSULTED not in {flag.code for flag in deployment.red_flags()}


def test_its_page_writes_the_go_live_dates_with_their_article(organisation_a, client):
    """« prévue le 1er octobre 2020 », where it read « prévue 1er octobre 2020 » (found by a
    reader's QA pass); a date not recorded stays a dash."""
    import html
    import re

    deployment = factories.DeploymentFactory(
        organisation=organisation_a, planned_go_live=D(2020, 10, 1), actual_go_live=None
    )
    factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        visibility=Consultation.Visibility.PUBLIC,
    )
    page = client.get(reverse("consultations:deployment-detail", args=[deployment.pk]))
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())).split())
    assert "Mise en service prévue le 1er octobre 2020 · effective —" in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_could_read_as_a_formula_is_quoted(start):
    """Forms strip the leading blanks a user types; an import or the admin's raw text may not."""
    from consultations.views.exports import csv_safe

    assert csv_safe(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert csv_safe("Analyse - voix") == "Analyse - voix"


def test_the_register_csv_opens_in_columns_in_the_readers_language(emotions, reader_a):
    """An English spreadsheet splits on commas: « ; » left the whole register in one column."""
    emotions.actual_go_live = datetime.date(2025, 10, 22)
    emotions.save()
    client = client_for(reader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("consultations:deployment-csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Organisation", "AI system"]
    assert rows[1][9] == "2025-10-22"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("consultations:deployment-csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][9] == "22/10/2025"
