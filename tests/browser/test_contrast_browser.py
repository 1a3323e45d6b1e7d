"""Text on the timelines keeps its contrast: a step still to come is not drawn fainter."""

import datetime

import pytest
from django.utils import timezone

from consultations.models import Consultation
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

# The text's own colour blended with the white page through its ancestors' opacity.
CONTRAST = """el => {
  let opacity = 1;
  for (let node = el; node; node = node.parentElement) opacity *= parseFloat(getComputedStyle(node).opacity);
  const [r, g, b, a = 1] = getComputedStyle(el).color.match(/[\\d.]+/g).map(Number);
  const alpha = a * opacity;
  const channel = v => {
    v = (v * alpha + 255 * (1 - alpha)) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  return 1.05 / (lum + 0.05);
}"""


def test_a_step_still_to_come_keeps_its_links_contrast(page, live_server):
    consultation = factories.ConsultationFactory(
        visibility=Consultation.Visibility.PUBLIC,
        information_received_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/")
    future = page.locator(".timeline-entry.is-future a")
    assert future.count()
    for link in future.all():
        assert link.evaluate(CONTRAST) >= 4.5
