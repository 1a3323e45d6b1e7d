"""Vigie's domain model: one module per concept (shared/DESIGN.md, "Domain model")."""

from .account import CalendarToken, ReminderSent
from .body import Body
from .consultation import (
    ATTENTION_STATES,
    NEEDS_ATTENTION,
    NEEDS_ATTENTION_LABEL,
    Clock,
    ClockStop,
    Consultation,
    LegalBasis,
)
from .deployment import AIFunction, Deployment, RiskTier
from .document import Document
from .event import Event
from .expertise import Expertise
from .meeting import Meeting, Vote
from .motion import Motion
from .organisation import Membership, Organisation
from .response import Demand, ManagementResponse
from .timeline_entry import EntryKind, TimelineEntry

__all__ = [
    "AIFunction",
    "Body",
    "CalendarToken",
    "ATTENTION_STATES",
    "NEEDS_ATTENTION",
    "NEEDS_ATTENTION_LABEL",
    "Clock",
    "ClockStop",
    "Consultation",
    "Demand",
    "Deployment",
    "Document",
    "EntryKind",
    "Event",
    "Expertise",
    "LegalBasis",
    "ManagementResponse",
    "Meeting",
    "Membership",
    "Motion",
    "Organisation",
    "ReminderSent",
    "RiskTier",
    "TimelineEntry",
    "Vote",
]
