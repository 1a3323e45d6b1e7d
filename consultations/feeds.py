"""Feeds: the iCalendar feed of the dates due (RFC 5545), one per user at a secret URL."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .due_dates import due_items
from .models import Consultation


def calendar_for(user, *, today=None) -> bytes:
    """Every date due in the consultations ``user`` may see, one all-day event each.

    UIDs are stable (built from the records' ids), so calendar apps update events rather than
    duplicate them; the description carries the explanation and its legal sources.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Vigie//Consultations du CSE//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Vigie — échéances")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for item in due_items(Consultation.objects.visible_to(user), today=today):
        event = Event()
        event.add("uid", f"{item.uid}@vigie")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
        event.add("summary", f"{item.label} — {item.consultation.title}")
        event.add(
            "description",
            f"{item.explanation}\n{item.consultation.body} · {item.consultation.deployment.name}",
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
