"""The long lists written in Python (consultations/fragments.py) give the markup the templates
gave, escape every value, and follow the language of the request."""

import dataclasses
import re
from datetime import date
from html import escape

import pytest
from django.template import engines
from django.utils import translation

from consultations.fragments import consultation_timeline_html, public_timeline_html
from consultations.models import EntryKind
from consultations.timeline import Entry, Where

HOSTILE = "<script>alert('x')</script> & \"quoted\""

# The templates these lists were written with, as they were: the reference for the markup; since,
# the texts typed in the records marked with their language on a page in another one (``lang``).
PUBLIC_TEMPLATE = """{% load i18n vigie %}{% content_lang as lang %}<ol class="timeline list-unstyled public-timeline">
{% regroup timeline by on as days %}{% for day in days %}<li class="timeline-day">
<h2 class="timeline-date h6">{{ day.grouper|long_date }}</h2><ul class="list-unstyled">
{% for entry in day.list %}
<li class="timeline-entry{% if entry.future %} is-future{% endif %} kind-{{ entry.kind.value }}">
<span class="timeline-marker" aria-hidden="true">{{ entry.icon }}</span>
<span class="timeline-kind">{{ entry.label }}{% if entry.future %} ({% translate "à venir" %}){% endif %}</span>
<a href="{{ entry.url }}">{% with parts=entry.summary_parts %}{{ parts.0 }}{% if parts.1 %}{% if lang %}<span{{ lang }}>{{ parts.1 }}</span>{% else %}{{ parts.1 }}{% endif %}{% endif %}{% endwith %}</a>
<div class="small text-body-secondary">{{ entry.where.organisation }} · {{ entry.where.body }} · {% if lang %}<span{{ lang }}>{{ entry.where.deployment }}</span> — <span{{ lang }}>{{ entry.where.title }}</span>{% else %}{{ entry.where.deployment }} — {{ entry.where.title }}{% endif %}</div>
</li>{% endfor %}</ul></li>{% endfor %}</ol>"""

CONSULTATION_TEMPLATE = """{% load i18n vigie %}{% content_lang as lang %}{% regroup timeline by on as days %}
<ol class="timeline list-unstyled">{% for day in days %}<li class="timeline-day">
<h3 class="timeline-date h6">{{ day.grouper|long_date }}</h3><ul class="list-unstyled">
{% for entry in day.list %}
<li class="timeline-entry{% if entry.future %} is-future{% endif %} kind-{{ entry.kind.value }}">
<span class="timeline-marker" aria-hidden="true">{{ entry.icon }}</span>
<span class="timeline-kind">{{ entry.label }}{% if entry.future %} <span class="visually-hidden">({% translate "à venir" %})</span>{% endif %}</span>
<span class="timeline-summary">{% with parts=entry.summary_parts %}{% if entry.anchor %}<a href="#{{ entry.anchor }}">{{ parts.0 }}{% if parts.1 %}{% if lang %}<span{{ lang }}>{{ parts.1 }}</span>{% else %}{{ parts.1 }}{% endif %}{% endif %}</a>{% else %}{{ parts.0 }}{% if parts.1 %}{% if lang %}<span{{ lang }}>{{ parts.1 }}</span>{% else %}{{ parts.1 }}{% endif %}{% endif %}{% endif %}{% endwith %}</span>
{% if entry.detail and entry.explained %}<small class="d-block text-body-secondary">{{ entry.detail }}</small>{% endif %}
</li>{% endfor %}</ul></li>{% empty %}<li class="text-body-secondary">{% translate "Rien n'est encore daté : la frise commence à la remise des informations." %}</li>{% endfor %}</ol>"""


def normalised(html):
    """The markup without the layout whitespace at the tags. An apostrophe counts as its
    entity: the lists escape the translated texts too, which ``{% translate %}`` did not."""
    html = re.sub(r"\s*<", "<", re.sub(r">\s*", ">", re.sub(r"\s+", " ", str(html)))).strip()
    return html.replace("&#x27;", "'")


def marks_the_typed_text(html):
    """Whether the texts typed in the records are marked as French: on an English page, not on
    a French one, where <html lang="fr"> says it."""
    return 'lang="fr"' in html


def reference(template, entries):
    return engines["django"].from_string(template).render({"timeline": entries})


def entries():
    where = Where(
        title="Analyse des émotions",
        organisation="Teleperformance",
        body="CSE",
        deployment="Emotion AI",
    )
    return [
        Entry(
            date(2020, 11, 3),
            EntryKind.VOTE,
            "Vote : expert",
            7,
            anchor="vote-1",
            ref=1,
            where=where,
            consultation_url="/consultations/7/",
        ),
        Entry(
            date(2020, 11, 3),
            EntryKind.MOTION,
            "Motion n° 1 — Contre l'analyse des émotions — et des voix",
            7,
            anchor="motion-2",
            ref=2,
            where=where,
            consultation_url="/consultations/7/",
        ),
        Entry(
            date(2020, 11, 4),
            EntryKind.PRESS,
            "Les salariés s'inquiètent",
            7,
            anchor="event-3",
            ref=3,
            where=where,
            consultation_url="/consultations/7/",
        ),
        Entry(
            date(2020, 11, 4),
            EntryKind.DOCUMENT,
            "Note d'information",
            7,
            ref=4,
            where=where,
            consultation_url="/consultations/7/",
        ),
        Entry(
            date(2021, 1, 15),
            EntryKind.DEADLINE,
            "Fin du délai",
            7,
            future=True,
            detail="Deux mois (R2312-6).",
            where=where,
            consultation_url="/consultations/7/",
        ),
        Entry(
            date(2021, 2, 1),
            EntryKind.MEETING,
            "Réunion",
            7,
            detail="pas une explication",
            where=where,
            consultation_url="/consultations/7/",
        ),
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_public_timeline_gives_the_markup_of_its_former_template(language):
    with translation.override(language):
        assert normalised(public_timeline_html(entries())) == normalised(
            reference(PUBLIC_TEMPLATE, entries())
        )
        html = public_timeline_html(entries())
    assert marks_the_typed_text(html) == (language == "en")
    if language == "en":  # a motion's title, an event's; the consultation and its AI system
        assert 'Motion n° 1 — <span lang="fr">Contre l&#x27;analyse des émotions — et' in html
        assert '<a href="/consultations/7/#event-3"><span lang="fr">Les salariés' in html
        assert '· <span lang="fr">Emotion AI</span> — <span lang="fr">Analyse des' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_consultation_timeline_gives_the_markup_of_its_former_template(language):
    with translation.override(language):
        assert normalised(consultation_timeline_html(entries())) == normalised(
            reference(CONSULTATION_TEMPLATE, entries())
        )
        assert normalised(consultation_timeline_html([])) == normalised(
            reference(CONSULTATION_TEMPLATE, [])
        )
        html = consultation_timeline_html(entries())
    assert marks_the_typed_text(html) == (language == "en")
    if language == "en":
        assert '<span lang="fr">Note d&#x27;information</span>' in html  # a document's title


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_value_is_escaped(language):
    where = Where(title=HOSTILE, organisation=HOSTILE, body=HOSTILE, deployment=HOSTILE)
    hostile = [
        Entry(
            date(2024, 5, 1),
            EntryKind.MOTION,
            f"{HOSTILE} — {HOSTILE}",
            3,
            anchor="motion-1",
            where=where,
            consultation_url="/c/3/",
        ),
        Entry(
            date(2024, 5, 2),
            EntryKind.DEADLINE,
            HOSTILE,
            3,
            anchor='x" onclick="y',
            future=True,
            detail=HOSTILE,
            where=where,
            consultation_url='/c/3/" onmouseover="z',
        ),
    ]
    with translation.override(language):
        public, story = public_timeline_html(hostile), consultation_timeline_html(hostile)
        expected = reference(PUBLIC_TEMPLATE, hostile)
    for html in (public, story):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in html
        assert "alert('x')" not in html
        assert '" onclick="' not in html and '" onmouseover="' not in html
    assert normalised(public) == normalised(expected)


FILTER_FIELDS_TEMPLATE = """{% for field in form %}<div class="col">
<label class="form-label small mb-0" for="{{ field.id_for_label }}">{{ field.label }}</label>
{{ field }}
{% if field.help_text %}<div id="{{ field.auto_id }}_helptext" class="form-text small mt-0">{{ field.help_text }}</div>{% endif %}
{% if field.errors %}<div id="{{ field.auto_id }}_error" class="invalid-feedback d-block">{% for error in field.errors %}<div>{{ error }}</div>{% endfor %}</div>{% endif %}
</div>{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [None, {"start": "31/02/2024", "kind": "<b>bogus</b>", "organisation": "999999"}]
)
def test_the_filter_fields_give_the_markup_of_their_former_template(data):
    from consultations.filters import PublicTimelineFilter
    from consultations.fragments import filter_fields_html
    from consultations.models import Consultation
    from consultations.timeline import PUBLIC_KINDS

    def form():
        return PublicTimelineFilter(
            data, queryset=Consultation.objects.published(), kinds=PUBLIC_KINDS
        ).form

    html = filter_fields_html(form())
    expected = engines["django"].from_string(FILTER_FIELDS_TEMPLATE).render({"form": form()})
    assert normalised(html) == normalised(expected)
    assert "<b>bogus</b>" not in html
    if data:
        assert html.count("invalid-feedback") == 3
    # Every id a widget's aria-describedby names is on the page (Django names the errors').
    for described in re.findall(r'aria-describedby="([^"]+)"', html):
        for target in described.split():
            assert f'id="{target}"' in html


@pytest.mark.django_db
def test_the_filter_fields_show_their_help_where_the_field_points_to_it(reader_a):
    from consultations.filters import ConsultationFilter
    from consultations.fragments import filter_fields_html
    from consultations.models import Consultation

    form = ConsultationFilter({}, queryset=Consultation.objects.all(), user=reader_a).form
    html = filter_fields_html(form)
    assert 'aria-describedby="id_q_helptext"' in html
    assert (
        '<div id="id_q_helptext" class="form-text small mt-0">Intitulés, résumés et motions' in html
    )


def test_the_filter_fields_of_a_missing_form_are_empty():
    from consultations.fragments import filter_fields_html

    assert filter_fields_html("") == ""  # what a template passes for a variable that is not there


VOTE_ROWS_TEMPLATE = """{% load i18n vigie %}{% for vote in votes %}<tr id="vote-{{ vote.pk }}">
<td>{{ vote.meeting.held_on|date:"d/m/Y" }}</td>
<td>{{ vote.get_subject_display }}{% if vote.question %}<div class="small text-body-secondary"{% content_lang %}>{{ vote.question|truncatewords:40 }}</div>{% endif %}</td>
<td class="text-end d-none d-md-table-cell">{{ vote.votes_for }}</td><td class="text-end d-none d-md-table-cell">{{ vote.votes_against }}</td>
<td class="text-end d-none d-md-table-cell">{{ vote.abstentions }}</td><td class="text-end d-none d-md-table-cell">{{ vote.blank_votes }}</td>
<td class="text-end d-none d-md-table-cell">{{ vote.voting_members_present }}</td>
<td>{% if vote.result_label %}<strong>{{ vote.result_label }}</strong>{% else %}—{% endif %}<div class="small d-md-none">{{ vote|vote_tally }}</div></td>
</tr>{% endfor %}"""

MOTION_CARDS_TEMPLATE = """{% load i18n vigie %}{% content_lang as lang %}{% for motion in motions %}
<article id="motion-{{ motion.pk }}" class="card mb-3"><div class="card-body">
<h3 class="h5 card-title">{{ motion.get_kind_display }}{% if motion.reference %} {% blocktranslate with reference=motion.reference %}n° {{ reference }}{% endblocktranslate %}{% endif %} — {% if lang %}<span{{ lang }}>{{ motion.title }}</span>{% else %}{{ motion.title }}{% endif %}</h3>
<p class="small text-body-secondary mb-2">
{% if motion.masculine %}{% if motion.adopted_on %}{% if motion.result_label and motion.adopting_vote.unanimous %}{% blocktranslate with date=motion.adopted_on|long_date %}Adopté le {{ date }} à l'unanimité{% endblocktranslate %}{% else %}{% translate "Adopté le" %} {{ motion.adopted_on|long_date }}{% endif %}{% if motion.result_label %}{% with tally=motion.adopting_vote|vote_tally %}{% if tally %} — {{ tally }}{% endif %}{% endwith %}{% endif %}{% else %}{% translate "Pas encore adopté" %}{% endif %}
{% if not public %}· {% if motion.published %}{% translate "publié" %}{% else %}{% translate "non publié" %}{% endif %}{% endif %}{% else %}{% if motion.adopted_on %}{% if motion.result_label and motion.adopting_vote.unanimous %}{% blocktranslate with date=motion.adopted_on|long_date %}Adoptée le {{ date }} à l'unanimité{% endblocktranslate %}{% else %}{% translate "Adoptée le" %} {{ motion.adopted_on|long_date }}{% endif %}{% if motion.result_label %}{% with tally=motion.adopting_vote|vote_tally %}{% if tally %} — {{ tally }}{% endif %}{% endwith %}{% endif %}{% else %}{% translate "Pas encore adoptée" %}{% endif %}
{% if not public %}· {% if motion.published %}{% translate "publiée" %}{% else %}{% translate "non publiée" %}{% endif %}{% endif %}{% endif %}
</p>
<div class="motion-text"{{ lang }}>{{ motion.text_html|sanitised }}</div>
{% if motion.adopted_on %}<a class="btn btn-sm btn-outline-secondary" href="{% url 'consultations:motion-pdf' motion.pk %}">{% translate "Télécharger en PDF" %}<span class="visually-hidden"> — {{ motion.get_kind_display }}{% if motion.reference %} {% blocktranslate with reference=motion.reference %}n° {{ reference }}{% endblocktranslate %}{% endif %}</span></a>{% endif %}
</div></article>{% endfor %}"""


@pytest.fixture
def records(db):
    from consultations.models import Motion, Vote

    from . import factories

    consultation = factories.ConsultationFactory()
    meeting = factories.MeetingFactory(body=consultation.body)
    long_question = " ".join(["mot"] * 50) + " " + HOSTILE
    votes = [
        factories.VoteFactory(consultation=consultation, meeting=meeting, question=long_question),
        factories.VoteFactory(
            consultation=consultation, meeting=meeting, question="", votes_for=2, votes_against=7
        ),
        factories.VoteFactory(
            consultation=consultation,
            meeting=meeting,
            subject=Vote.Subject.APPOINT_EXPERT,
            question=HOSTILE,
            votes_for=0,
            voting_members_present=0,
        ),
    ]
    motions = [
        factories.MotionFactory(
            consultation=consultation,
            adopting_vote=votes[0],
            title=HOSTILE,
            text=f"Le CSE **demande** :\n\n{HOSTILE}\n\n<img src=x onerror=alert(1)>",
        ),
        factories.MotionFactory(consultation=consultation, adopted_on=None, published=False),
        factories.MotionFactory(consultation=consultation, kind=Motion.Kind.RESOLUTION),
        # French agrees with the text: "Avis … Adopté le … — adopté".
        factories.MotionFactory(
            consultation=consultation, kind=Motion.Kind.OPINION, adopting_vote=votes[1]
        ),
        factories.MotionFactory(
            consultation=consultation, kind=Motion.Kind.WISH, adopted_on=None, published=False
        ),
    ]
    return (
        list(Vote.objects.filter(pk__in=[vote.pk for vote in votes]).order_by("pk")),
        list(Motion.objects.filter(pk__in=[m.pk for m in motions]).order_by("pk")),
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_vote_rows_give_the_markup_of_their_former_template(records, language):
    from consultations.fragments import vote_rows_html

    votes, _motions = records
    with translation.override(language):
        html = vote_rows_html(votes)
        expected = engines["django"].from_string(VOTE_ROWS_TEMPLATE).render({"votes": votes})
    assert normalised(html) == normalised(expected)
    assert marks_the_typed_text(html) == (language == "en")
    assert "<script>" not in html and html.count("<tr") == 3


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("public", [True, False])
def test_the_motion_cards_give_the_markup_of_their_former_template(records, language, public):
    from consultations.fragments import motion_cards_html

    _votes, motions = records
    with translation.override(language):
        html = motion_cards_html(motions, public)
        expected = (
            engines["django"]
            .from_string(MOTION_CARDS_TEMPLATE)
            .render({"motions": motions, "public": public})
        )
    assert normalised(html) == normalised(expected)
    assert marks_the_typed_text(html) == (language == "en")
    assert "<script>" not in html and "onerror" not in html and html.count("<article") == 5
    if language == "fr":
        assert "Adopté le" in html and re.search("Pas encore adopté(?!e)", html)


DUE_LIST_TEMPLATE = """{% load i18n vigie %}{% translate "Comment cette date est calculée" as why %}
<ul class="list-group">{% for item, url, day in upcoming %}<li class="list-group-item">
<strong class="d-block">{{ day }}</strong>
<div class="text-break"><a href="{{ url }}"{% content_lang %}>{{ item.consultation.title|truncatewords:10 }}</a></div>
<div>{{ item.label }}</div>
<details class="small text-body-secondary"><summary>{{ why }}</summary>{{ item.explanation }}</details>
</li>{% endfor %}</ul>"""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_due_list_gives_the_markup_of_its_former_template(db, language):
    from django.utils import timezone

    from consultations.due_dates import due_items
    from consultations.fragments import due_list_html
    from consultations.models import Consultation
    from consultations.views.workspace import shown

    from . import factories

    today = timezone.localdate()
    long_title = " ".join(["Analyse"] * 12) + " " + HOSTILE
    factories.ConsultationFactory(title=long_title, information_received_on=today)
    factories.ConsultationFactory(title=HOSTILE, information_received_on=today)
    with translation.override(language):
        items = due_items(Consultation.objects.all(), today=today)
        rows = shown(items, "l j F")
        html = due_list_html(rows)
        expected = engines["django"].from_string(DUE_LIST_TEMPLATE).render({"upcoming": rows})
    assert len(rows) >= 2
    assert normalised(html) == normalised(expected)
    assert marks_the_typed_text(html) == (language == "en")
    assert "<script>" not in html


def test_the_due_list_names_each_organisation_when_asked(db):
    from django.utils import timezone

    from consultations.due_dates import due_items
    from consultations.fragments import due_list_html
    from consultations.models import Consultation
    from consultations.views.workspace import shown

    from . import factories

    today = timezone.localdate()
    factories.ConsultationFactory(
        title="Projet", information_received_on=today, body__organisation__name=HOSTILE
    )
    items = due_items(Consultation.objects.all(), today=today)
    html = due_list_html(shown(items, "l j F"), with_organisation=True)
    assert f'<div class="small text-body-secondary">{escape(HOSTILE)}</div>' in html
    assert "<script>" not in html


CONSULTATION_ROWS_TEMPLATE = """{% load vigie %}{% for consultation, state in rows %}<tr>
<td class="d-none d-md-table-cell">{{ consultation.information_received_on|date:"d/m/Y"|default:"—" }}</td>
<td class="d-none d-md-table-cell">{{ consultation.body.organisation }}<div class="small text-body-secondary">{{ consultation.body }}</div></td>
<td><a href="{% url 'consultations:consultation-detail' consultation.pk %}"{% content_lang %}>{{ consultation.title }}</a><div class="small d-md-none">{{ consultation.body.organisation }}</div></td>
<td class="d-none d-md-table-cell"{% content_lang %}>{{ consultation.deployment.name }}</td>
<td>{{ consultation.deadline_on|date:"d/m/Y"|default:"—" }}</td>
<td><span class="{{ state.badge_class }}">{{ state.label }}</span></td>
</tr>{% endfor %}"""

REGISTER_ROWS_TEMPLATE = """{% load i18n vigie %}{% for deployment, flags, latest, state in rows %}<tr>
<td><a href="{% url 'consultations:deployment-detail' deployment.pk %}"{% content_lang %}>{{ deployment.name }}</a>{% if deployment.vendor %}<div class="small text-body-secondary">{{ deployment.vendor }}</div>{% endif %}<div class="small d-md-none">{{ deployment.organisation }}</div>{% if flags %}<div class="small d-md-none">{% blocktranslate count count=flags|length %}{{ count }} signalement{% plural %}{{ count }} signalements{% endblocktranslate %}{% with first=flags.0 %}{% if first.severity == "prohibited" %} <span class="badge text-bg-danger">{% translate "Interdit" %}</span>{% elif first.severity == "high" %} <span class="badge text-bg-warning">{% translate "Haut risque" %}</span>{% elif first.severity == "warning" %} <span class="badge text-bg-light border">{% translate "À vérifier" %}</span>{% endif %}{% endwith %}</div>{% endif %}</td>
<td class="d-none d-md-table-cell">{{ deployment.organisation }}</td>
<td class="d-none d-md-table-cell">{{ deployment.get_risk_tier_display }}</td>
<td class="d-none d-md-table-cell">{% if flags %}{{ flags|length }}{% with first=flags.0 %}{% if first.severity == "prohibited" %} <span class="badge text-bg-danger">{% translate "Interdit" %}</span>{% elif first.severity == "high" %} <span class="badge text-bg-warning">{% translate "Haut risque" %}</span>{% elif first.severity == "warning" %} <span class="badge text-bg-light border">{% translate "À vérifier" %}</span>{% endif %}{% endwith %}{% else %}0{% endif %}</td>
<td>{% if latest %}<span class="{{ state.badge_class }}">{{ state.label }}</span>{% else %}<span class="badge text-bg-light border">{% translate "Aucune" %}</span>{% endif %}</td>
<td class="d-none d-md-table-cell">{{ deployment.actual_go_live|date:"d/m/Y"|default:"—" }}</td>
</tr>{% endfor %}"""


@pytest.fixture
def register(db):
    """Systems with and without flags, vendor, go-live and consultation; hostile names."""
    from datetime import date as day

    from . import factories

    organisation = factories.OrganisationFactory(name=HOSTILE)
    flagged = factories.DeploymentFactory(
        organisation=organisation,
        name=HOSTILE,
        vendor=HOSTILE,
        functions=["emotion_recognition"],
        actual_go_live=day(2024, 6, 1),
    )
    factories.DeploymentFactory(organisation=organisation, name="Sans rien", vendor="")
    factories.ConsultationFactory(
        deployment=flagged,
        title=HOSTILE,
        information_received_on=day(2024, 1, 8),
        visibility="public",
    )
    factories.ConsultationFactory(deployment=flagged, information_received_on=None)
    return organisation


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_consultation_rows_give_the_markup_of_their_former_template(register, language):
    from consultations.fragments import consultation_rows_html
    from consultations.models import Clock, Consultation

    consultations = Consultation.objects.with_clock_state().order_by("pk")
    with translation.override(language):
        rows = [(consultation, Clock(consultation.clock)) for consultation in consultations]
        html = consultation_rows_html(rows)
        expected = engines["django"].from_string(CONSULTATION_ROWS_TEMPLATE).render({"rows": rows})
    assert normalised(html) == normalised(expected)
    assert marks_the_typed_text(html) == (language == "en")
    assert "<script>" not in html and html.count("<tr>") == 2


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_register_rows_give_the_markup_of_their_former_template(register, language, rf):
    from django.contrib.auth.models import AnonymousUser

    from consultations.fragments import register_rows_html
    from consultations.models import Deployment
    from consultations.views.public import register_rows

    request = rf.get("/deployments/")
    request.user = AnonymousUser()
    with translation.override(language):
        rows = register_rows(request, Deployment.objects.order_by("pk"))
        html = register_rows_html(rows)
        expected = engines["django"].from_string(REGISTER_ROWS_TEMPLATE).render({"rows": rows})
    assert rows[0][1] and rows[0][2] and rows[1][2] is None  # flags, a consultation, none
    assert normalised(html) == normalised(expected)
    assert marks_the_typed_text(html) == (language == "en")
    assert "<script>" not in html and html.count("<tr>") == 2


@pytest.mark.parametrize(
    ("kind", "now", "to_come"),
    [
        (EntryKind.MEETING, "●", "◌"),  # not ○, a deadline's
        (EntryKind.EXPERT_APPOINTED, "◆", "◊"),  # not ◇, a report delivered
        (EntryKind.REPORT_PRESENTED, "◈", "◊"),
        (EntryKind.INFORMATION, "■", "□"),
        (EntryKind.DEADLINE, "○", "○"),
        (EntryKind.STRIKE, "⚑", "○"),
    ],
)
def test_a_date_to_come_has_a_hollow_marker(kind, now, to_come):
    """shared/UI.md: future dates appear as hollow markers, a meeting to come as a deadline."""
    entry = Entry(on=date(2025, 5, 1), kind=kind, summary="", consultation_id=1)
    assert entry.icon == now
    assert dataclasses.replace(entry, future=True).icon == to_come
