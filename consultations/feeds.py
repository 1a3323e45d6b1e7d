"""Feeds: the iCalendar feed of the dates due (RFC 5545), one per user at a secret URL, and
the public timeline as Atom."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext, gettext_lazy
from icalendar import Calendar, Event, Timezone

from .due_dates import due_items, one_per_meeting_step
from .fragments import timeline_summary_html
from .models import Consultation, EntryKind


def calendar_for(user, *, organisation=None, today=None, domain="vigie") -> bytes:
    """Every date due in the consultations ``user`` may see, one all-day event each; in those
    of ``organisation`` alone when given (one of the user's: the caller checks).

    UIDs are stable (built from the records' ids), so calendar apps update events rather than
    duplicate them, and end with ``domain``, the site's, as RFC 5545 asks for a globally unique
    identifier (two installations of Vigie number their records alike). A meeting's agenda or
    minutes is one event, naming every consultation on its agenda. The description carries the
    explanation and its legal sources.

    Only open consultations: a withdrawn project's or a closed file's steps (an expert's
    milestones, a report « 15 jours avant la fin du délai ») are no longer due, as the workspace
    and the reminders already say. An open consultation's late steps stay, however old. The
    minutes of a meeting held stay due when every project it discussed was withdrawn
    (L2315-34 concerns the meeting; due_dates.due_items()), as on the workspace.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Vigie//Consultations du CSE//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = gettext("Vigie — échéances")
    visible = Consultation.objects.visible_to(user)
    if organisation is not None:
        name = f"{name} — {organisation.name}"
        visible = visible.filter(body__organisation=organisation)
    consultations = visible.filter(status=Consultation.Status.OPEN)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # The time zone named just above, described: a calendar holds at least one component
    # (RFC 5545, 3.6), and a member with no date due yet gets a feed a strict calendar app
    # accepts. The events are whole days, which no time zone moves.
    this_year = timezone.localdate().year
    zone = Timezone.from_tzid(
        settings.TIME_ZONE,
        first_date=date(this_year - 1, 1, 1),
        last_date=date(this_year + 3, 1, 1),
    )
    zone.pop("COMMENT", None)  # the library's note of the years covered, in English
    calendar.add_component(zone)
    stamp = timezone.now()
    items = due_items(consultations, today=today, withdrawn=visible.withdrawn())
    for item in one_per_meeting_step(items):
        event = Event()
        event.add("uid", f"{item.meeting_uid}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
        titles = " · ".join(consultation.title for consultation in item.consultations)
        event.add("summary", f"{item.label} — {titles}")
        shown = "\n".join(
            f"{consultation.title} — {consultation.body} · {consultation.deployment.name}"
            if item.shared_with
            else f"{consultation.body} · {consultation.deployment.name}"
            for consultation in item.consultations
        )
        event.add("description", f"{item.explanation}\n{shown}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


class TimelineFeed(Feed):
    """The public timeline as an Atom feed, with the same filters as the page (in the URL)."""

    feed_type = Atom1Feed
    title = gettext_lazy("Vigie — ce que les CSE ont décidé sur l'IA")
    subtitle = gettext_lazy("Les consultations publiées par les représentants du personnel.")
    link = reverse_lazy("consultations:public-list")
    author_name = "Vigie"  # Atom requires an author (RFC 4287 4.1.1)
    limit = 50

    def get_object(self, request):
        return request.timeline_entries  # set by __call__, once per request

    def __call__(self, request, *args, **kwargs):
        from .views.public import filtered_timeline

        # What has happened: a date still to come (a period's last day, an answer due) is not
        # news yet, and a future date would sort first or be refused by feed readers. Left out
        # in the database, before the limit, so that the feed still holds its 50 entries.
        filterset, _page, request.timeline_entries = filtered_timeline(
            request, limit=self.limit, until=timezone.localdate()
        )
        # A feed reader shows no form: a filter it cannot apply is refused (400) when the feed
        # is added, rather than the whole timeline subscribed to in its place.
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponseBadRequest(
                gettext("Filtre refusé : %(fields)s.")
                % {"fields": ", ".join(sorted(filterset.form.errors))},
                content_type="text/plain; charset=utf-8",
            )
        return super().__call__(request, *args, **kwargs)

    def items(self, entries):
        return entries

    def item_title(self, entry):
        """ "Réunion — Titre de la consultation"; a text adopted is named by its own designation,
        "Vœu n° 2026-03 — Titre", so that the texts of one consultation are told apart."""
        if entry.kind == EntryKind.MOTION:
            designation = entry.summary_parts[0].removesuffix(" — ")
            if designation:
                return f"{designation} — {entry.where.title}"
        return f"{entry.label} — {entry.where.title}"

    def item_description(self, entry):
        # The Atom summary is HTML: escape the text so a title can never run in a feed reader.
        # The text typed in the records (a motion's title, an event's) is marked with their
        # language in a feed in another one, as on the page.
        where = escape(f" ({entry.where.organisation}, {entry.where.body})")
        return f"{timeline_summary_html(entry)}{where}"

    def item_link(self, entry):
        return entry.url

    def item_guid(self, entry):
        return f"vigie:{entry.kind.value}:{entry.consultation_id}:{entry.ref}:{entry.on}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return datetime.combine(entry.on, time(9, 0), tzinfo=timezone.get_current_timezone())

    def item_updateddate(self, entry):
        return self.item_pubdate(entry)
