"""Markdown of the texts representatives write: rendered, sanitised, French typography."""

import datetime

from django.template import Context, Template

from consultations.markdown import NBSP, NNBSP, french_typography, render_markdown


def test_it_renders_basic_formatting():
    html = render_markdown("Le CSE **demande** une *pause*.\n\n- un\n- deux\n\n> citation")
    assert "<strong>demande</strong>" in html
    assert "<em>pause</em>" in html
    assert "<ul>" in html and "<li>un</li>" in html
    assert "<blockquote>" in html


def test_it_turns_headings_into_h3_and_h4():
    html = render_markdown("# Considérant\n\n## Demandes")
    assert "<h3>Considérant</h3>" in html
    assert "<h4>Demandes</h4>" in html
    assert "<h1" not in html and "<h2" not in html


def test_it_removes_scripts_with_their_content():
    html = render_markdown("Avant <script>alert('x')</script> après")
    assert "<script" not in html
    assert "alert" not in html
    assert "Avant" in html and "après" in html


def test_it_removes_images_and_event_handlers():
    html = render_markdown('<img src=x onerror=alert(1)> <p onclick="alert(2)">texte</p>')
    assert "<img" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "alert" not in html


def test_it_neutralises_javascript_links():
    html = render_markdown('[x](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)">y</a>')
    assert "javascript" not in html.lower()
    assert "alert" not in html


def test_it_keeps_safe_links_with_rel():
    html = render_markdown(
        "[Légifrance](https://www.legifrance.gouv.fr/) [écrire](mailto:cse@example.org)"
    )
    assert 'href="https://www.legifrance.gouv.fr/"' in html
    assert 'href="mailto:cse@example.org"' in html
    assert html.count('rel="noopener noreferrer"') == 2


def test_it_drops_links_to_other_schemes():
    html = render_markdown("[f](ftp://example.org/x) [d](data:text/html;base64,PHNjcmlwdD4=)")
    assert "ftp:" not in html
    assert "data:" not in html


def test_it_drops_styles_iframes_and_attributes():
    html = render_markdown(
        '<iframe src="https://example.org"></iframe><style>p{}</style>'
        '<div style="color:red">x</div><table border="9"><tr><td onclick="x()">t</td></tr></table>'
    )
    for tag in ("<iframe", "<style", "style=", "<div", "border=", "onclick"):
        assert tag not in html


def test_it_renders_a_table_in_pipe_syntax():
    html = render_markdown(
        "Effectifs concernés :\n\n| Site | Conseillers |\n|:---|---:|\n| Lille | 120 |\n| Tunis | 340 |"
    )
    assert "<table>" in html and "<th>Site</th>" in html and "<td>340</td>" in html
    assert "|" not in html and "style=" not in html and "align=" not in html


def test_it_returns_an_empty_string_for_no_text():
    assert render_markdown("") == ""


def test_it_puts_non_breaking_spaces_in_french_punctuation():
    html = french_typography(render_markdown("Le CSE demande : « une pause ? » Oui ; vite !"))
    assert f"demande{NBSP}:" in html
    assert f"«{NBSP}une pause{NNBSP}?{NBSP}»" in html
    assert f"Oui{NNBSP};" in html
    assert f"vite{NNBSP}!" in html


def test_it_keeps_n_degree_with_its_number_reference_or_placeholder():
    """« n° » never ends a line: before a number, a reference, or the placeholder of an
    interface string (``n° %(reference)s``, typeset in the French catalogue)."""
    assert french_typography("la motion n° 2025-01") == f"la motion n°{NBSP}2025-01"
    assert french_typography("le lot n° A12") == f"le lot n°{NBSP}A12"
    assert french_typography("Motion n° %(reference)s") == f"Motion n°{NBSP}%(reference)s"


def test_it_leaves_tags_attributes_and_code_alone():
    source = '<a href="https://x.fr/?a=1">lien ?</a> <code>a : b ?</code> 14:30'
    html = french_typography(source)
    assert 'href="https://x.fr/?a=1"' in html
    assert "<code>a : b ?</code>" in html
    assert "14:30" in html
    assert f"lien{NNBSP}?" in html


def test_it_does_not_break_html_entities():
    assert french_typography("AT&amp;T ; R&amp;D") == f"AT&amp;T{NNBSP}; R&amp;D"


def test_it_offers_template_filters():
    template = Template(
        "{% load vigie %}{{ text|markdown }}|{{ title|french_typography }}|{{ day|french_date }}"
    )
    html = template.render(
        Context(
            {
                "text": "**Motion** <script>alert(1)</script>",
                "title": "<b>Avis</b> : « non »",
                "day": datetime.date(2020, 8, 27),
            }
        )
    )
    body, title, day = html.split("|")
    assert "<strong>Motion</strong>" in body and "<script" not in body
    assert title == f"&lt;b&gt;Avis&lt;/b&gt;{NBSP}: «{NBSP}non{NBSP}»"
    assert day == "27 août 2020"
