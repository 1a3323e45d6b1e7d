"""The audit history of the records that carry many-to-many links (a meeting's agenda, the
motions an answer answers): one save by a user, one history row.

django-simple-history writes a row when a record is saved, then another each time its tracked
links change (``m2m_changed``): a meeting logged with its agenda, or an agenda changed in the admin
(a removal, then an addition), wrote two or three rows for one save, and the workspace's latest
changes showed the same change as many times. Here, links changed on the record just saved, in
the same request (or outside any request, by a command such as load_demo), are written into the
row of that save instead of a row of their own: the row keeps its kind (created or changed), its
author, its reason and its date, and names the links as they were left. A change of the links
alone (no save of that object before it) still writes its own row.
"""

from django.conf import settings
from simple_history.models import HistoricalRecords

M2M_DONE = ("post_add", "post_remove", "post_clear")


class HistoricalRecordsWithLinks(HistoricalRecords):
    """HistoricalRecords whose links changed after a save join that save's row (see the
    module's docstring)."""

    def current_request(self):
        return getattr(self.context, "request", None)

    def create_historical_record_m2ms(self, history_instance, instance):
        super().create_historical_record_m2ms(history_instance, instance)
        # Remembered on this object only: the same record read again writes a row of its own.
        instance._history_row_written = (self.current_request(), history_instance)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        request, row = getattr(instance, "_history_row_written", (None, None))
        if (
            action in M2M_DONE
            and not reverse
            and row is not None
            and request is self.current_request()
            and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
            and not hasattr(instance, "skip_history_when_saving")
        ):
            for field in row._history_m2m_fields:
                self.m2m_models[field].objects.filter(history=row).delete()
            self.create_historical_record_m2ms(row, instance)
            return
        super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
