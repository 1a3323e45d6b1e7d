"""A motion's page HTML is written on save (Motion.text_html) and sanitised again when shown."""

from io import StringIO

import pytest
from django.core.management import call_command

from consultations.models import Consultation, Motion

from . import factories

pytestmark = pytest.mark.django_db


def test_saving_a_motion_renders_its_text():
    motion = factories.MotionFactory(text="Le CSE **demande** : « une pause ? »")
    assert motion.text_html == (
        "<p>Le CSE <strong>demande</strong>\u00a0: «\u00a0une pause\u202f?\u00a0»</p>"
    )
    motion.text = "# Titre\n\nAutre texte"
    motion.save(update_fields=["text"])
    motion.refresh_from_db()
    assert motion.text_html == "<h3>Titre</h3>\n<p>Autre texte</p>"


def test_refresh_calendar_renders_the_texts_again():
    motion = factories.MotionFactory(text="Un *texte*")
    Motion.objects.filter(pk=motion.pk).update(text_html="")
    out = StringIO()
    call_command("refresh_calendar", stdout=out)
    motion.refresh_from_db()
    assert motion.text_html == "<p>Un <em>texte</em></p>"
    assert "1 motion(s) remise(s) en page" in out.getvalue()


def test_the_page_sanitises_stored_html_again(client):
    """An archive restored from elsewhere could carry markup: it never reaches the page."""
    motion = factories.MotionFactory(
        consultation__visibility=Consultation.Visibility.PUBLIC, text="Texte sûr"
    )
    Motion.objects.filter(pk=motion.pk).update(
        text_html='<p onclick="x()">Texte</p><script>alert(1)</script>'
    )
    content = client.get(f"/consultations/{motion.consultation_id}/").content.decode()
    assert "<p>Texte</p>" in content
    assert "alert(1)" not in content and "onclick" not in content
