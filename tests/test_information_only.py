"""A matter the council is only informed of (L2312-38 al. 1 and 2: recruitment methods,
automated HR processing) is no consultation: no period runs, no opinion is due nor deemed
negative (LEGAL.md (d)); an opinion given anyway still awaits management's decision (L2315-34). The clock reads « Information seule » in Python and in
SQL, on the pages, in the admin and in the dossier; one basis of consultation among them (L2312-8,
L2312-38 al. 3) brings the period back."""

import datetime
import html
import importlib
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from consultations.models import Clock, Consultation, LegalBasis
from consultations.rules.flags import Flag
from consultations.timeline import EntryKind, consultation_timeline

from . import factories
from .conftest import client_for
from .test_edit_conflicts import form_data

D = datetime.date
pytestmark = pytest.mark.django_db
T0 = D(2025, 3, 3)  # as a consultation: last day 3 April 2025
LONG_AFTER = D(2025, 9, 1)
INFORMATION = [LegalBasis.RECRUITMENT, LegalBasis.AUTOMATED_HR]


@pytest.fixture
def informed(organisation_a):
    return factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment__organisation=organisation_a,
        legal_bases=INFORMATION,
        information_received_on=T0,
        visibility=Consultation.Visibility.PUBLIC,
    )


def states(consultation, on):
    python = Consultation.objects.with_clock_facts().get(pk=consultation.pk).clock_state(on=on)
    sql = Consultation.objects.with_clock_state(on).get(pk=consultation.pk).clock
    found = Consultation.objects.in_clock_state(Clock.INFORMATION_ONLY, on)
    return python, sql, found.filter(pk=consultation.pk).exists()


def test_no_period_runs_and_nothing_is_deemed_negative(informed):
    informed.refresh_from_db()
    assert informed.information_only is True
    assert informed.deadline_on is None and informed.deadline() is None
    assert informed.paused_since() is None
    assert states(informed, LONG_AFTER) == (Clock.INFORMATION_ONLY,) * 2 + (True,)
    for state in (Clock.EXPIRED, Clock.PAUSED, Clock.NOT_STARTED, Clock.RUNNING):
        assert not Consultation.objects.in_clock_state(state, LONG_AFTER).filter(pk=informed.pk)


def test_an_opinion_given_anyway_awaits_managements_decision(informed):
    """The employer's reasoned decision on the proposals submitted is due at the meeting after
    the minutes (L2315-34), consultation or not: without a meeting recorded, Vigie's 30 days."""
    informed.opinion, informed.opinion_on = Consultation.Opinion.UNFAVOURABLE, D(2025, 3, 28)
    informed.save()
    informed.refresh_from_db()
    assert informed.answer_due_on == D(2025, 4, 27) == informed.answer_due().date
    assert states(informed, D(2025, 4, 1)) == (Clock.OPINION_GIVEN, Clock.OPINION_GIVEN, False)
    assert states(informed, LONG_AFTER) == (Clock.ANSWER_OVERDUE, Clock.ANSWER_OVERDUE, False)


@pytest.mark.parametrize(
    "bases", [[LegalBasis.NEW_TECHNOLOGY, LegalBasis.AUTOMATED_HR], [LegalBasis.MONITORING], []]
)
def test_a_basis_of_consultation_or_none_recorded_keeps_the_period(organisation_a, bases):
    consultation = factories.ConsultationFactory(
        body__organisation=organisation_a, legal_bases=bases, information_received_on=T0
    )
    consultation.refresh_from_db()
    assert consultation.information_only is False
    assert consultation.deadline_on == D(2025, 4, 3)
    assert states(consultation, LONG_AFTER)[:2] == (Clock.EXPIRED, Clock.EXPIRED)


def test_changing_the_bases_moves_the_period_both_ways(informed):
    informed.legal_bases = [LegalBasis.NEW_TECHNOLOGY, *INFORMATION]
    informed.save(update_fields=["legal_bases"])
    informed.refresh_from_db()
    assert (informed.information_only, informed.deadline_on) == (False, D(2025, 4, 3))
    informed.legal_bases = [LegalBasis.RECRUITMENT]
    informed.save()
    informed.refresh_from_db()
    assert (informed.information_only, informed.deadline_on) == (True, None)


def test_the_stored_column_is_repaired_with_the_dates(informed):
    """A record written without save() (an update, an archive restored raw) gets the column
    back from its grounds with its dates (refresh_calendar, as migrate and the import do)."""
    from consultations.timeline import refresh_stored_calendar

    Consultation.objects.filter(pk=informed.pk).update(information_only=False)
    refresh_stored_calendar()
    informed.refresh_from_db()
    assert informed.information_only is True
    assert states(informed, LONG_AFTER) == (Clock.INFORMATION_ONLY,) * 2 + (True,)


def test_grounds_changed_under_an_opinion_deemed_negative_are_refused(organisation_a):
    consultation = factories.ConsultationFactory(
        body__organisation=organisation_a,
        information_received_on=T0,
        opinion=Consultation.Opinion.DEEMED_NEGATIVE,
        opinion_on=D(2025, 4, 4),
    )
    consultation.full_clean()  # saved before: stays editable as it is
    consultation.legal_bases = [LegalBasis.AUTOMATED_HR]
    with pytest.raises(ValidationError) as error:
        consultation.full_clean()
    assert "aucun avis ne peut être réputé négatif" in str(error.value.message_dict["opinion"])


def test_an_edit_conflict_lists_what_people_changed_not_what_vigie_computed(informed):
    from consultations.edit_conflicts import current_version, describe_changes

    version = current_version(informed)
    informed.legal_bases = [LegalBasis.NEW_TECHNOLOGY]
    informed.save()
    lines = describe_changes(informed, version)
    assert len(lines) == 1 and lines[0].startswith("Fondements de la consultation")


def test_it_cannot_be_recorded_as_deemed_negative(informed):
    informed.opinion, informed.opinion_on = Consultation.Opinion.DEEMED_NEGATIVE, D(2025, 5, 5)
    with pytest.raises(ValidationError) as error:
        informed.full_clean()
    assert "aucun avis ne peut être réputé négatif" in str(error.value.message_dict["opinion"])


def test_the_edit_form_refuses_it_and_keeps_the_input(informed, editor_a):
    url = reverse("consultations:consultation-edit", args=[informed.pk])
    client = client_for(editor_a)
    form = client.get(url).context["form"]
    data = form_data(
        form,
        opinion="deemed_negative",
        opinion_on="2025-05-05",
        title="Outil de tri des candidatures",
    )
    response = client.post(url, data)
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert "aucun avis ne peut être réputé négatif" in text
    assert 'value="Outil de tri des candidatures"' in text
    informed.refresh_from_db()
    assert informed.opinion == ""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_says_no_opinion_is_awaited(informed, client, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with time_machine.travel(datetime.datetime(2025, 9, 1, 12), tick=False):
        page = client.get(reverse("consultations:consultation-detail", args=[informed.pk]))
    text = html.unescape(page.content.decode()).replace("\u00a0", " ")
    expected = {
        "fr": (
            "Information seule",
            "le CSE est seulement informé (L2312-38 al. 1 et 2)",
            "(information seule, L2312-38 al. 1 et 2).",  # the timeline's entry
        ),
        "en": (
            "Information only",
            "the CSE is only informed (L2312-38 para. 1 and 2)",
            "(information only, L2312-38 para. 1 and 2).",
        ),
    }[language]
    for words in expected:
        assert words in text
    assert {"fr": "réputé négatif", "en": "deemed negative"}[language] not in text.split(
        expected[1]
    )[0]
    assert {"fr": "délai passe alors à deux mois", "en": "two months"}[language] not in text
    assert {"fr": "délai de consultation court", "en": "period starts"}[language] not in text


def test_the_dossier_and_the_admin_say_it(informed, superuser):
    from consultations import pdf

    from .test_pdf import flat, pdf_text

    with time_machine.travel(datetime.datetime(2025, 9, 1, 12), tick=False):
        text = flat(pdf_text(pdf.dossier_pdf(informed, public=True)[2])[0])
        admin = client_for(superuser).get(
            reverse("admin:consultations_consultation_change", args=[informed.pk])
        )
    assert "Information seule" in text
    assert "le CSE est seulement informé (L2312-38 al. 1 et 2)" in text
    assert "Pas d'avis attendu : information seule." in text
    assert "Avis réputé négatif" not in text
    assert "le CSE est seulement informé (L2312-38 al. 1" in html.unescape(admin.content.decode())


@pytest.mark.parametrize(
    ("informed_on", "opinion_on", "flagged"),
    [
        (T0, None, set()),  # informed before the go-live: nothing owed
        (T0, D(2025, 3, 20), set()),  # an opinion given anyway, after: none was owed
        (D(2025, 3, 12), None, {Flag.GO_LIVE_BEFORE_INFORMATION}),
        (None, None, {Flag.GO_LIVE_BEFORE_INFORMATION}),  # live, the council never informed
    ],
)
def test_a_system_live_before_the_information_is_flagged_as_such(
    organisation_a, informed_on, opinion_on, flagged
):
    """L2312-38 al. 1 and 2: the council is informed before the use: the flag is about the
    information, never about an opinion none owed."""
    deployment = factories.DeploymentFactory(
        organisation=organisation_a, actual_go_live=D(2025, 3, 10)
    )
    factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment=deployment,
        legal_bases=INFORMATION,
        information_received_on=informed_on,
        opinion="unfavourable" if opinion_on else "",
        opinion_on=opinion_on,
    )
    codes = {flag.code for flag in deployment.red_flags()}
    assert codes & {Flag.GO_LIVE_BEFORE_OPINION, Flag.GO_LIVE_BEFORE_INFORMATION} == flagged


def test_no_date_is_due_in_the_workspace_nor_the_calendar(informed, editor_a):
    from consultations.due_dates import due_items, items_for

    consultations = Consultation.objects.filter(pk=informed.pk)
    assert due_items(consultations, today=D(2025, 3, 10)) == []
    assert (
        items_for(Consultation.objects.with_clock_facts().get(pk=informed.pk), D(2025, 3, 10)) == []
    )


def test_the_migration_marks_the_records_already_there(informed):
    migration = importlib.import_module("consultations.migrations.0031_information_only")
    Consultation.objects.filter(pk=informed.pk).update(information_only=False)
    other = factories.ConsultationFactory(body=informed.body, deployment=informed.deployment)
    migration.mark_information_only(apps, SimpleNamespace(connection=connection))
    marked = dict(Consultation.objects.values_list("pk", "information_only"))
    assert marked == {informed.pk: True, other.pk: False}


def test_the_list_and_the_admin_filter_on_it(informed, editor_a, superuser):
    other = factories.ConsultationFactory(
        body=informed.body, deployment=informed.deployment, title="Écoute des conseillers"
    )
    for client, url in (
        (client_for(editor_a), reverse("consultations:consultation-list")),
        (client_for(superuser), reverse("admin:consultations_consultation_changelist")),
    ):
        page = html.unescape(client.get(url, {"clock": "information_only"}).content.decode())
        assert informed.title in page and other.title not in page
        assert "Information seule" in page


def test_its_timeline_follows_a_change_of_grounds(informed):
    def information_entry():
        entries = Consultation.objects.get(pk=informed.pk)
        return next(
            entry.summary
            for entry in consultation_timeline(entries)
            if entry.kind == EntryKind.INFORMATION
        )

    assert "(information seule, L2312-38 al. 1 et 2)" in information_entry()
    informed.legal_bases = [LegalBasis.NEW_TECHNOLOGY]
    informed.save()
    assert "le délai de consultation court" in information_entry()


def test_members_are_told_of_an_opinion_deemed_negative_recorded_before(informed, reader_a):
    """Recorded before Vigie knew these grounds open no period: the page says both, and asks
    its members to correct one."""
    Consultation.objects.filter(pk=informed.pk).update(
        opinion=Consultation.Opinion.DEEMED_NEGATIVE, opinion_on=D(2025, 4, 4)
    )
    url = reverse("consultations:consultation-detail", args=[informed.pk])
    member = html.unescape(client_for(reader_a).get(url).content.decode())
    assert "corrigez l'avis ou les fondements" in member
