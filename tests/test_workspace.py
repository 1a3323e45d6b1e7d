"""The workspace pages: who sees what, what they show, and fixed query counts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Consultation

from . import factories
from .conftest import client_for

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation_a(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a, name="CSE de A")
    return factories.ConsultationFactory(
        body=body,
        title="Projet Sentinelle",
        information_received_on=D(2025, 3, 3),
        internal_notes="NOTE-INTERNE-A",
    )


PERSONAS = ["superuser", "editor_a", "reader_a", "editor_b", "anonymous"]


def persona_client(request, name):
    return client_for(None if name == "anonymous" else request.getfixturevalue(name))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("superuser", 200),
        ("editor_a", 200),
        ("reader_a", 200),
        ("editor_b", 200),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("name", ["consultations:workspace", "consultations:consultation-list"])
def test_it_answers_the_workspace_pages(request, consultation_a, persona, expected, name):
    response = persona_client(request, persona).get(reverse(name))
    assert response.status_code == expected
    if expected == 200:
        shown = "Projet Sentinelle" in response.content.decode()
        assert shown == (persona in ("superuser", "editor_a", "reader_a"))
    else:
        assert response["Location"].startswith(reverse("consultations:login"))


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
def test_it_shows_an_internal_consultation_only_to_members(
    request, consultation_a, persona, expected
):
    url = reverse("consultations:consultation-detail", args=[consultation_a.pk])
    response = persona_client(request, persona).get(url)
    assert response.status_code == expected
    if expected == 200:
        assert "NOTE-INTERNE-A" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_a_published_consultation_to_anyone_without_internal_notes(
    request, consultation_a, persona
):
    consultation_a.visibility = Consultation.Visibility.PUBLIC
    consultation_a.save()
    page = (
        persona_client(request, persona)
        .get(reverse("consultations:consultation-detail", args=[consultation_a.pk]))
        .content.decode()
    )
    assert "Projet Sentinelle" in page
    member = persona in ("superuser", "editor_a", "reader_a")
    assert ("NOTE-INTERNE-A" in page) == member


def test_it_shows_edit_buttons_to_editors_only(consultation_a, editor_a, reader_a):
    url = reverse("consultations:consultation-detail", args=[consultation_a.pk])
    edit = reverse("consultations:consultation-edit", args=[consultation_a.pk])
    assert edit in client_for(editor_a).get(url).content.decode()
    assert edit not in client_for(reader_a).get(url).content.decode()


def test_it_shows_the_deadline_with_its_explanation(consultation_a, reader_a):
    with time_machine.travel(datetime.datetime(2025, 3, 10, 12, 0), tick=False):
        page = (
            client_for(reader_a)
            .get(reverse("consultations:consultation-detail", args=[consultation_a.pk]))
            .content.decode()
        )
    assert "3 avril 2025" in page
    assert "R2312-6" in page
    assert "En cours" in page


def add_records(consultation, count):
    motions = []
    for index in range(count):
        meeting = factories.MeetingFactory(
            body=consultation.body, held_on=D(2025, 3, 14) + datetime.timedelta(days=index)
        )
        meeting.consultations.add(consultation)
        vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
        motion = factories.MotionFactory(
            consultation=consultation,
            adopting_vote=vote,
            adopted_on=None,
            text=f"Texte **{index}**",
        )
        motions.append(motion)
        factories.DocumentFactory(consultation=consultation)
        factories.DemandFactory(consultation=consultation)
        factories.EventFactory(consultation=consultation)
    factories.ExpertiseFactory(consultation=consultation)
    factories.ManagementResponseFactory(consultation=consultation).motions.set(motions)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_keeps_the_consultation_page_queries_fixed(consultation_a, reader_a):
    client = client_for(reader_a)
    url = reverse("consultations:consultation-detail", args=[consultation_a.pk])
    add_records(consultation_a, 2)
    few = count_queries(client, url)
    add_records(consultation_a, 10)
    assert count_queries(client, url) == few


def test_a_response_names_the_motions_it_answers_that_the_reader_may_read(
    consultation_a, reader_a, client
):
    """Found by the editor's QA pass: the page did not say what an answer answered (the dossier
    PDF did). The public reads only the published motions among them."""
    consultation_a.visibility = Consultation.Visibility.PUBLIC
    consultation_a.save()
    shown = factories.MotionFactory(consultation=consultation_a, title="Sur l'écoute des appels")
    internal = factories.MotionFactory(
        consultation=consultation_a, title="Sur la stratégie", published=False
    )
    factories.ManagementResponseFactory(consultation=consultation_a).motions.set([shown, internal])
    url = reverse("consultations:consultation-detail", args=[consultation_a.pk])
    member = client_for(reader_a).get(url).content.decode()
    assert f'<a href="#motion-{shown.pk}">' in member
    assert f'<a href="#motion-{internal.pk}">' in member
    public = client.get(url).content.decode()
    assert f'<a href="#motion-{shown.pk}">' in public
    assert "Sur la stratégie" not in public


def test_once_the_opinion_is_given_the_period_is_no_longer_a_call_to_give_it(
    consultation_a, reader_a
):
    """Found by the editor's QA pass: « Dernier jour pour rendre l'avis, faute de quoi il est
    réputé négatif » stayed after the opinion."""
    url = reverse("consultations:consultation-detail", args=[consultation_a.pk])
    with time_machine.travel(datetime.datetime(2025, 3, 21, 12), tick=False):
        consultation_a.information_received_on = D(2025, 3, 3)
        consultation_a.save()
        page = client_for(reader_a).get(url).content.decode()
        assert "faute de quoi il est réputé négatif" in page
        consultation_a.opinion, consultation_a.opinion_on = "unfavourable", D(2025, 3, 20)
        consultation_a.save()
        page = client_for(reader_a).get(url).content.decode()
    assert "faute de quoi il est réputé négatif" not in page
    assert "Dernier jour du délai" in page


def test_empty_sections_lead_an_editor_to_fill_them(consultation_a, editor_a, reader_a):
    url = reverse("consultations:consultation-detail", args=[consultation_a.pk])
    page = client_for(editor_a).get(url).content.decode()
    for link in ("response-create", "document-upload"):
        target = reverse(f"consultations:{link}", args=[consultation_a.pk])
        assert page.count(f'href="{target}"') == 2  # the page's buttons, and the empty section
    page = client_for(reader_a).get(url).content.decode()
    assert reverse("consultations:response-create", args=[consultation_a.pk]) not in page


def test_it_keeps_the_list_queries_fixed(organisation_a, reader_a):
    body = factories.BodyFactory(organisation=organisation_a)
    client = client_for(reader_a)
    url = reverse("consultations:consultation-list")
    factories.ConsultationFactory.create_batch(2, body=body)
    few = count_queries(client, url)
    factories.ConsultationFactory.create_batch(15, body=body)
    assert count_queries(client, url) == few


def test_it_filters_the_list_in_the_url(organisation_a, reader_a):
    body = factories.BodyFactory(organisation=organisation_a)
    factories.ConsultationFactory(body=body, title="Analyse émotionnelle")
    started_late = factories.ConsultationFactory(
        body=body, title="Outil de planning", information_received_on=None
    )
    factories.MotionFactory(consultation=started_late, text="Le CSE refuse la géolocalisation.")
    client = client_for(reader_a)
    url = reverse("consultations:consultation-list")
    page = client.get(url, {"q": "géolocalisation"}).content.decode()
    assert "Outil de planning" in page and "Analyse émotionnelle" not in page
    page = client.get(url, {"clock": "not_started"}).content.decode()
    assert "Outil de planning" in page and "Analyse émotionnelle" not in page
    page = client.get(url, {"clock": "not_started", "sort": "-title"}).content.decode()
    assert 'value="not_started" selected' in page
    assert client.get(url, {"received_after": "pas une date"}).status_code == 200


def test_it_welcomes_a_new_member_with_what_to_do_first(editor_a, reader_a):
    assert (
        reverse("consultations:deployment-create")
        in client_for(editor_a).get(reverse("consultations:workspace")).content.decode()
    )
    assert (
        "Aucune consultation"
        in client_for(reader_a).get(reverse("consultations:workspace")).content.decode()
    )


def test_an_editor_opens_a_consultation_from_a_busy_workspace(consultation_a, editor_a, reader_a):
    """Found by the editor's QA pass: the buttons were only in the empty state."""
    page = client_for(editor_a).get(reverse("consultations:workspace")).content.decode()
    assert 'id="workspace-actions"' in page
    assert reverse("consultations:consultation-create") in page
    assert reverse("consultations:deployment-create") in page
    page = client_for(reader_a).get(reverse("consultations:workspace")).content.decode()
    assert 'id="workspace-actions"' not in page


def test_it_lists_what_is_due_and_late(consultation_a, reader_a):
    factories.ExpertiseFactory(consultation=consultation_a, designated_on=D(2025, 3, 14))
    with time_machine.travel(datetime.datetime(2025, 3, 28, 12, 0), tick=False):
        page = client_for(reader_a).get(reverse("consultations:workspace")).content.decode()
    assert "Remise du rapport" in page
    assert "Notification du coût prévisionnel" in page  # late since 24 March
    assert "En retard" in page


def test_it_renders_motion_markdown_inert(consultation_a, reader_a):
    factories.MotionFactory(
        consultation=consultation_a,
        text="**Refus**\n\n<script>alert(1)</script> <img src=x onerror=alert(2)> [lien](javascript:alert(3))",
    )
    page = (
        client_for(reader_a)
        .get(reverse("consultations:consultation-detail", args=[consultation_a.pk]))
        .content.decode()
    )
    assert "<strong>Refus</strong>" in page
    assert (
        "<script>alert(1)" not in page and "onerror" not in page and "javascript:alert" not in page
    )


@pytest.fixture
def editor_of_a_and_b(organisation_a, organisation_b):
    user = factories.UserFactory(username="federation")
    for organisation in (organisation_a, organisation_b):
        factories.MembershipFactory(user=user, organisation=organisation)
    return user


def running_consultation(organisation, title):
    return factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation),
        deployment__organisation=organisation,
        title=title,
        information_received_on=D(2025, 3, 3),
    )


def test_it_narrows_the_workspace_to_one_of_my_organisations(
    organisation_a, organisation_b, editor_of_a_and_b
):
    running_consultation(organisation_a, "Projet Alpha")
    running_consultation(organisation_b, "Projet Bravo")
    client = client_for(editor_of_a_and_b)
    url = reverse("consultations:workspace")
    with time_machine.travel(datetime.datetime(2025, 3, 20, 12, 0), tick=False):
        everything = client.get(url).content.decode()
        only_a = client.get(url, {"organisation": organisation_a.pk}).content.decode()

    assert 'name="organisation"' in everything
    assert "Projet Alpha" in everything and "Projet Bravo" in everything
    assert "Projet Alpha" in only_a
    assert "Projet Bravo" not in only_a  # neither its dates nor its latest changes
    assert f'<option value="{organisation_a.pk}" selected>' in only_a
    # Listed together, each date names its organisation; narrowed to one, no need.
    named = '<div class="small text-body-secondary">Organisation B</div>'
    assert named in everything
    assert '<div class="small text-body-secondary">Organisation A</div>' not in only_a


def test_it_refuses_an_organisation_that_is_not_mine(organisation_b, editor_a, consultation_a):
    running_consultation(organisation_b, "Projet Bravo")
    url = reverse("consultations:workspace")
    for value in (organisation_b.pk, "abc", "1 OR 1=1"):
        response = client_for(editor_a).get(url, {"organisation": value})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Projet Bravo" not in page
        assert "Projet Sentinelle" in page  # the workspace stays whole
        assert "invalid-feedback" in page  # and says why the choice was not taken


def test_it_offers_no_choice_to_a_member_of_one_organisation(consultation_a, editor_a):
    page = client_for(editor_a).get(reverse("consultations:workspace")).content.decode()
    assert 'name="organisation"' not in page


def test_it_names_a_change_with_the_records_kind_as_written(organisation_a):
    from consultations.models import Deployment
    from consultations.views.workspace import change_label

    factories.DeploymentFactory(organisation=organisation_a, name="Analyse des appels")
    record = Deployment.history.get()
    assert change_label(record) == "Système d'IA «\u00a0Analyse des appels\u00a0»"


def test_it_names_a_vote_by_its_subject(organisation_a):
    from consultations.models import Vote
    from consultations.views.workspace import change_label, label_fields

    body = factories.BodyFactory(organisation=organisation_a)
    factories.VoteFactory(meeting__body=body, subject="appoint_expert", question="Long texte")
    record = Vote.history.only("history_date", *label_fields(Vote)).get()
    assert change_label(record) == "Vote «\u00a0Désignation d'un expert\u00a0»"


def test_each_latest_change_leads_to_its_record(organisation_a, editor_a):
    """ "Dernières modifications": a change leads to its consultation, at the record, or to its
    AI system; a meeting on no agenda and a deleted consultation lead nowhere, a deleted
    motion to its consultation."""
    body = factories.BodyFactory(organisation=organisation_a)
    consultation = factories.ConsultationFactory(body=body, title="Projet Sentinelle")
    meeting = factories.MeetingFactory(body=body)
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
    motion = factories.MotionFactory(consultation=consultation, adopting_vote=vote)
    gone = factories.ConsultationFactory(
        body=body, title="Supprimée", deployment=consultation.deployment
    )
    gone.delete()
    page = client_for(editor_a).get(reverse("consultations:workspace"))
    links = {label: link for _record, label, link in page.context["changes"]}
    detail = reverse("consultations:consultation-detail", args=[consultation.pk])
    assert links["Consultation «\u00a0Projet Sentinelle\u00a0»"] == detail
    assert links[f"Motion «\u00a0{motion.title}\u00a0»"] == f"{detail}#motion-{motion.pk}"
    assert f"{detail}#vote-{vote.pk}" in links.values()
    deployment = reverse("consultations:deployment-detail", args=[consultation.deployment.pk])
    assert deployment in links.values()
    assert links["Consultation «\u00a0Supprimée\u00a0»"] is None
    assert links[f"Motion «\u00a0{motion.title}\u00a0»"] == f"{detail}#motion-{motion.pk}"
    assert [link for label, link in links.items() if label.startswith("Réunion")] == [None]
    assert f'<a href="{detail}#motion-{motion.pk}">' in page.content.decode()
    motion.delete()
    page = client_for(editor_a).get(reverse("consultations:workspace"))
    deleted = [link for row, _label, link in page.context["changes"] if row.history_type == "-"]
    assert deleted[0] == detail


def test_a_meetings_change_leads_to_it_on_the_page_of_the_consultation_on_its_agenda(
    organisation_a, organisation_b, editor_a
):
    """A meeting on one consultation's agenda leads to it on that consultation's page; one on the
    agenda of several leads nowhere (no one page shows it), nor does a consultation of another
    organisation left on its agenda count."""
    body = factories.BodyFactory(organisation=organisation_a)
    first, second = factories.ConsultationFactory.create_batch(2, body=body)
    other = factories.ConsultationFactory(body=factories.BodyFactory(organisation=organisation_b))
    alone = factories.MeetingFactory(body=body, held_on=D(2025, 3, 4))
    alone.consultations.add(first, other)
    shared = factories.MeetingFactory(body=body, held_on=D(2025, 4, 8))
    shared.consultations.add(first, second)
    page = client_for(editor_a).get(reverse("consultations:workspace"))
    links = {label: link for _record, label, link in page.context["changes"]}
    detail = reverse("consultations:consultation-detail", args=[first.pk])
    assert links["Réunion (04/03/2025)"] == f"{detail}#meeting-{alone.pk}"
    assert links["Réunion (08/04/2025)"] is None
    assert f'<a href="{detail}#meeting-{alone.pk}">' in page.content.decode()
    # The anchor is there, in the members' « Réunions » of the consultation's page.
    assert f'id="meeting-{alone.pk}"' in client_for(editor_a).get(detail).content.decode()


def test_the_latest_changes_list_the_demands_of_my_organisations_only(
    organisation_a, organisation_b, editor_a
):
    """A demand logged or changed is among the « Dernières modifications », as the other parts
    of a consultation are, named by the start of its text and leading to it on its
    consultation's page (found by a review: demands were left out); one of an organisation the
    user is not a member of is not."""
    mine = factories.ConsultationFactory(body=factories.BodyFactory(organisation=organisation_a))
    theirs = factories.ConsultationFactory(body=factories.BodyFactory(organisation=organisation_b))
    demand = factories.DemandFactory(consultation=mine, text="Formation de deux jours")
    demand.status = "won"
    demand.save()
    long_text = "Aucune sanction fondée sur les scores " * 5
    factories.DemandFactory(consultation=mine, text=long_text)
    factories.DemandFactory(consultation=theirs, text="Revendication de l'autre entreprise")

    page = client_for(editor_a).get(reverse("consultations:workspace"))
    changes = [
        (record.get_history_type_display(), label, link)
        for record, label, link in page.context["changes"]
        if label.startswith("Revendication")
    ]
    detail = reverse("consultations:consultation-detail", args=[mine.pk])
    named = "Revendication «\u00a0Formation de deux jours\u00a0»"
    assert (
        "Modifié",
        named,
        f"{detail}#demand-{demand.pk}",
    ) in changes and ("Créé", named, f"{detail}#demand-{demand.pk}") in changes
    cut = [label for _kind, label, _link in changes if "Aucune sanction" in label]
    assert cut == [f"Revendication «\u00a0{long_text[:79]}…\u00a0»"]
    assert len(changes) == 3  # not the other organisation's
    assert "Revendication de l&#x27;autre" not in page.content.decode()
    # The link leads to the demand on the consultation's page.
    assert f'id="demand-{demand.pk}"' in client_for(editor_a).get(detail).content.decode()


def test_a_meeting_logged_and_an_answer_recorded_show_once_in_the_latest_changes(
    organisation_a, editor_a
):
    """One save through the site's forms, one change: the meeting and its agenda, the answer and
    the motions it answers, were written as two history rows each (the save, then the
    many-to-many links), and the workspace listed the meeting twice."""
    from consultations.models import ManagementResponse, Meeting, Motion

    from .test_editing import OPINION_VOTE_WITH_MOTION, meeting_data

    body = factories.BodyFactory(organisation=organisation_a, seats=9)
    consultation = factories.ConsultationFactory(body=body, title="Projet Sentinelle")
    client = client_for(editor_a)
    logged = client.post(
        reverse("consultations:meeting-log", args=[consultation.pk]),
        meeting_data(body, OPINION_VOTE_WITH_MOTION),
    )
    assert logged.status_code == 302
    motion = Motion.objects.get()
    answered = client.post(
        reverse("consultations:response-create", args=[consultation.pk]),
        {
            "received_on": "2025-04-10",
            "channel": "letter",
            "stance": "rejects",
            "motions": motion.pk,
        },
    )
    assert answered.status_code == 302
    meeting, response = Meeting.objects.get(), ManagementResponse.objects.get()
    # One row each, a creation by the editor, that keeps the links made with it.
    row = meeting.history.get()
    assert (row.history_type, row.history_user) == ("+", editor_a)
    assert [link.consultation_id for link in row.consultations.all()] == [consultation.pk]
    row = response.history.get()
    assert (row.history_type, row.history_user) == ("+", editor_a)
    assert [link.motion_id for link in row.motions.all()] == [motion.pk]
    page = client.get(reverse("consultations:workspace"))
    labels = [label for _record, label, _link in page.context["changes"]]
    assert labels.count("Réunion (14/03/2025)") == 1
    assert len(labels) == len(set(labels))


def test_the_list_and_the_admin_show_what_the_workspace_counts_as_needing_attention(
    organisation_a, reader_a, editor_a
):
    """The workspace's "Voir les N consultations à surveiller" leads to those N: the opinions
    deemed negative and the answers overdue, together; the admin's filter offers the same."""
    body = factories.BodyFactory(organisation=organisation_a)
    factories.ConsultationFactory(
        body=body,
        title="Avis réputé négatif",
        information_received_on=D(2025, 1, 6),
        opinion="deemed_negative",
        opinion_on=D(2025, 2, 6),
    )
    factories.ConsultationFactory(
        body=body,
        title="Réponse en retard",
        information_received_on=D(2025, 1, 6),
        opinion="unfavourable",
        opinion_on=D(2025, 2, 3),
    )
    factories.ConsultationFactory(
        body=body, title="Encore en cours", information_received_on=D(2025, 3, 3)
    )
    client = client_for(reader_a)
    with time_machine.travel(datetime.datetime(2025, 3, 20, 12, 0), tick=False):
        workspace = client.get(reverse("consultations:workspace")).context
        listed = client.get(reverse("consultations:consultation-list"), {"clock": "attention"})
        in_admin = client_for(editor_a).get(
            reverse("admin:consultations_consultation_changelist"), {"clock": "attention"}
        )

    titles = sorted(consultation.title for consultation in listed.context["consultations"])
    assert titles == ["Avis réputé négatif", "Réponse en retard"]
    assert workspace["attention_count"] == len(titles)
    admin_titles = sorted(c.title for c in in_admin.context["cl"].result_list)
    assert admin_titles == titles
    assert "À surveiller\u00a0: avis réputé négatif" in in_admin.content.decode()


def test_the_lists_headings_sort_keeping_the_filters_once(consultation_a, reader_a):
    url = reverse("consultations:consultation-list")
    page = client_for(reader_a).get(url, {"q": "Sentinelle", "sort": "title", "page": "1"})
    html = page.content.decode()
    assert 'href="?q=Sentinelle&amp;sort=-title"' in html  # no second sort, no page
    plain = client_for(reader_a).get(url).content.decode()
    assert 'href="?sort=title"' in plain and "?&amp;sort" not in plain
    # On a phone the title and the state stay; the date and the system give way.
    assert '<th scope="col" class="d-none d-md-table-cell">' in plain
    assert '<td class="d-none d-md-table-cell">' in plain


def test_the_list_sorts_by_the_chosen_column(organisation_a, reader_a):
    """The sort was refused as an invalid choice (its comma-separated field read the value
    letter by letter), so the headings left the list in its default order."""
    body = factories.BodyFactory(organisation=organisation_a)
    for title in ("Bêta", "Alpha", "Gamma"):
        factories.ConsultationFactory(body=body, title=title)
    client = client_for(reader_a)
    url = reverse("consultations:consultation-list")
    for sort, expected in (
        ("title", ["Alpha", "Bêta", "Gamma"]),
        ("-title", ["Gamma", "Bêta", "Alpha"]),
    ):
        response = client.get(url, {"sort": sort})
        assert [c.title for c in response.context["consultations"]] == expected
        page = response.content.decode()
        assert f'<option value="{sort}" selected>' in page
        assert "id_sort_error" not in page


def test_the_lists_sort_settles_ties_the_same_way_on_every_page(organisation_a, reader_a):
    """Sorted by organisation, the consultations of one organisation follow the default order
    (newest information first, then the newest record), so that no row moves between pages; an
    empty sort leaves the default order."""
    import datetime

    body = factories.BodyFactory(organisation=organisation_a)
    made = [
        factories.ConsultationFactory(
            body=body, title=title, information_received_on=datetime.date(2025, 3, day)
        )
        for title, day in (("Ancienne", 1), ("Récente", 20), ("Jumelle", 20))
    ]
    factories.ConsultationFactory(body=body, title="Pas commencée", information_received_on=None)
    client = client_for(reader_a)
    url = reverse("consultations:consultation-list")
    for sort in ("organisation", "-organisation", ",", ""):
        listed = [c.title for c in client.get(url, {"sort": sort}).context["consultations"]]
        # On PostgreSQL as on SQLite, a consultation without a date comes last.
        assert listed == ["Jumelle", "Récente", "Ancienne", "Pas commencée"], sort
    listed = [c.title for c in client.get(url).context["consultations"]]
    assert listed == ["Jumelle", "Récente", "Ancienne", "Pas commencée"]
    oldest = [c.title for c in client.get(url, {"sort": "received"}).context["consultations"]]
    assert oldest == ["Ancienne", "Jumelle", "Récente", "Pas commencée"]  # no date: last
    # The period's last day, soonest first (one month after the information), none last.
    soonest = [c.title for c in client.get(url, {"sort": "deadline"}).context["consultations"]]
    assert soonest == ["Ancienne", "Jumelle", "Récente", "Pas commencée"]
    latest = [c.title for c in client.get(url, {"sort": "-deadline"}).context["consultations"]]
    assert latest == ["Jumelle", "Récente", "Ancienne", "Pas commencée"]
    page = client.get(url, {"sort": "deadline"}).content.decode()
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-deadline">Fin du délai' in page
    assert "<td>01/04/2025</td>" in page  # Ancienne: 1 March, one month on
    assert made[2].pk > made[1].pk


def test_the_sorted_column_says_so_to_the_eye_and_to_screen_readers(consultation_a, reader_a):
    client = client_for(reader_a)
    url = reverse("consultations:consultation-list")
    page = client.get(url, {"sort": "-title"}).content.decode()
    assert '<th scope="col" aria-sort="descending"><a href="?sort=title">Consultation</a>' in page
    assert '<span aria-hidden="true">▼</span>' in page and page.count("aria-sort") == 1
    # Without a sort, the list is newest first: its heading says so and offers the oldest first.
    page = client.get(url).content.decode()
    assert page.count("aria-sort") == 1
    assert 'class="d-none d-md-table-cell" aria-sort="descending"><a href="?sort=received">' in page


def test_it_pages_the_dates_to_come(organisation_a, reader_a, monkeypatch):
    """A federation's editor had some 600 dates on one page (430 KB): a page of them at a time,
    in date order, the organisation's choice kept across pages."""
    from django.utils import timezone

    from consultations.views import workspace

    monkeypatch.setattr(workspace, "UPCOMING_PER_PAGE", 2)
    today = timezone.localdate()
    body = factories.BodyFactory(organisation=organisation_a)
    for days in (3, 2, 1):
        factories.ConsultationFactory(
            body=body,
            title=f"Reçue il y a {days} jours",
            information_received_on=today - datetime.timedelta(days=days),
        )
    client = client_for(reader_a)
    url = reverse("consultations:workspace")
    first = client.get(url).context
    assert first["upcoming_count"] == 3 and len(first["upcoming"]) == 2
    assert [item.on for item, _url, _day, _page in first["upcoming"]] == sorted(
        item.on for item, _url, _day, _page in first["upcoming"]
    )
    page = client.get(url, {"page": 2}).content.decode()
    assert "3 à 3 sur 3 échéances" in page and "Reçue il y a 1 jours" in page
    assert 'href="?page=1"' in page
    assert client.get(url, {"page": "x"}).status_code == 200


def test_it_lists_the_first_late_steps_and_links_to_all(consultation_a, reader_a, monkeypatch):
    from consultations.views import workspace

    monkeypatch.setattr(workspace, "LATE_SHOWN", 1)
    for _ in range(2):  # each one's cost notice late (its information request is optional)
        factories.ExpertiseFactory(consultation=consultation_a, designated_on=D(2025, 3, 14))
    client = client_for(reader_a)
    url = reverse("consultations:workspace")
    with time_machine.travel(datetime.datetime(2025, 3, 28, 12, 0), tick=False):
        first = client.get(url)
        everything = client.get(url, {"late": "all"})
    assert len(first.context["late_steps"]) == 1 and first.context["late_count"] == 2
    assert 'href="?late=all#h-attention">Voir les 2 étapes en retard</a>' in first.content.decode()
    assert len(everything.context["late_steps"]) == 2
    assert "Voir les 2 étapes en retard" not in everything.content.decode()


def test_a_date_to_come_next_year_says_its_year(organisation_a, reader_a):
    body = factories.BodyFactory(organisation=organisation_a)
    factories.ConsultationFactory(body=body, information_received_on=D(2025, 12, 5))
    with time_machine.travel(datetime.datetime(2025, 12, 20, 12, 0), tick=False):
        page = client_for(reader_a).get(reverse("consultations:workspace")).content.decode()
    assert "lundi 5 janvier 2026" in page


def test_postgresql_reads_the_lists_default_order_from_an_index():
    """Newest first with the undated last (DESC NULLS LAST) is the order of an index on
    PostgreSQL (migration 0017); SQLite's DESC puts NULLs last with consultation_newest."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'consultation_newest_nulls_last'"
        )
        (definition,) = cursor.fetchone()
    assert "information_received_on DESC NULLS LAST, id DESC" in definition


@pytest.mark.parametrize(
    ("language", "any_choice", "default_sort"),
    [("fr", "Indifférent", "Par défaut"), ("en", "Any", "Default")],
)
def test_the_filters_name_their_empty_choice_in_words(
    consultation_a, reader_a, settings, language, any_choice, default_sort
):
    client = client_for(reader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("consultations:consultation-list")).content.decode()
    assert f'<option value="" selected>{any_choice}</option>' in page
    sort = page[page.index('name="sort"') :]
    assert f'<option value="" selected>{default_sort}</option>' in sort[: sort.index("</select>")]
    assert "---------" not in page


def test_a_late_meetings_step_links_editors_to_where_it_is_recorded(
    consultation_a, editor_a, reader_a
):
    """The minutes' sending was recorded on the meeting's admin page, which no page led to
    (found in QA); then on the site's page of the meeting, for every editor, staff or not
    (found by a QA pass as a union representative): editors get the link there, back to the
    workspace, readers only the consultation's."""
    meeting = factories.MeetingFactory(
        body=consultation_a.body, held_on=D(2025, 3, 10), agenda_sent_on=D(2025, 3, 5)
    )
    meeting.consultations.add(consultation_a)
    url = reverse("consultations:workspace")
    edit_page = reverse("consultations:meeting-edit", args=[meeting.pk]) + "?next=%2Fworkspace%2F"
    with time_machine.travel(datetime.datetime(2025, 4, 28, 12, 0), tick=False):
        editor_page = client_for(editor_a).get(url)
        reader_page = client_for(reader_a).get(url)
    minutes = [row for row in editor_page.context["late_steps"] if row[0].meeting_pk == meeting.pk]
    assert [row[0].label for row in minutes] == [
        "Transmission du procès-verbal de la réunion du 10 mars 2025"
    ]
    assert minutes[0][3] == edit_page
    assert f'href="{edit_page}">consigner l\'envoi' in editor_page.content.decode()
    assert "/meetings/" not in reader_page.content.decode()


def test_a_page_out_of_the_lists_range_shows_the_nearest_one(organisation_a, reader_a, settings):
    """As on the public timeline: a link kept from a longer list, or a page typed wrong, is no
    404."""
    body = factories.BodyFactory(organisation=organisation_a)
    factories.ConsultationFactory.create_batch(27, body=body)
    client = client_for(reader_a)
    url = reverse("consultations:consultation-list")
    for page, number in (("6", 2), ("abc", 1), ("0", 2), ("2", 2)):
        response = client.get(url, {"page": page})
        assert response.status_code == 200, page
        assert response.context["page_obj"].number == number, page


def test_a_late_meetings_step_costs_an_editor_no_more_queries(consultation_a, editor_a):
    """The workspace's number of queries does not depend on its data (bench/pages.py found one
    more for a staff editor once a late step was a meeting's)."""
    url = reverse("consultations:workspace")
    client = client_for(editor_a)
    meeting = factories.MeetingFactory(
        body=consultation_a.body,
        held_on=D(2025, 3, 10),
        agenda_sent_on=D(2025, 3, 5),
        minutes_sent_on=D(2025, 3, 20),
    )
    meeting.consultations.add(consultation_a)
    with time_machine.travel(datetime.datetime(2025, 4, 28, 12, 0), tick=False):
        assert not client.get(url).context["late_steps"]
        without = count_queries(client, url)
        meeting.minutes_sent_on = None
        meeting.save()
        page = client.get(url)
        assert any(row[0].meeting_pk == meeting.pk for row in page.context["late_steps"])
        assert count_queries(client, url) == without
