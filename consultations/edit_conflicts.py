"""Two people editing the same record: the second save is refused, with what changed.

A form remembers the record's version when it was opened: the id of its latest history row
(django-simple-history). If another save came in between, the form is refused with the list of
fields the other person changed, old and new values, and keeps everything the user typed; the
fields the user left as they were take the other person's values (``merge_changes``), so that
the next save, made knowing the changes, goes through without undoing them.

A page of many records (a formset: the demands page) reads every record's version with the
records themselves (``with_versions``), rather than once per form.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from simple_history.models import ModelChange
from simple_history.utils import get_m2m_reverse_field_name

from .wording import colon, quoted, written_date


def current_version(instance):
    return instance.history.order_by("-history_id").values_list("history_id", flat=True).first()


VERSION_ANNOTATION = "edit_version"


def with_versions(queryset):
    """``queryset`` with each record's ``current_version`` read in the same query (a
    subquery), for a page of many forms: each form takes its record's from there."""
    model = queryset.model
    latest = (
        model.history.filter(**{model._meta.pk.attname: OuterRef("pk")})
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    return queryset.annotate(**{VERSION_ANNOTATION: Subquery(latest)})


def changes_since(instance, since_version) -> list:
    """The changes (simple_history's ModelChange: field, old, new) saved after ``since_version``
    to the fields a person edits (not those computed from the facts: deadline_on...)."""
    history = instance.history.order_by("-history_id")
    old = history.filter(history_id=since_version).first()
    latest = history.first()
    if old is None or latest is None:
        return []
    return [
        _as_related_pks(instance, change)
        for change in latest.diff_against(old).changes
        if instance._meta.get_field(change.field).editable
    ]


def _as_related_pks(instance, change):
    """A change of many-to-many links (a meeting's agenda) as the form field holds them, the
    related records' ids: simple_history gives each side as rows of the links,
    ``{"meeting": 3, "consultation": 7}``."""
    field = instance._meta.get_field(change.field)
    if not field.many_to_many:
        return change
    name = get_m2m_reverse_field_name(field)
    return ModelChange(
        change.field, [row[name] for row in change.old], [row[name] for row in change.new]
    )


def describe_changes(instance, since_version, form_fields=None) -> list[str]:
    """ "Field: « old » → « new »" for each field changed after ``since_version``, with the
    reader's punctuation (wording.py), each value as the form shows it (``form_fields``: the
    form's fields, whose choices give the labels)."""
    lines = []
    for change in changes_since(instance, since_version):
        field = instance._meta.get_field(change.field)
        form_field = (form_fields or {}).get(change.field)
        if field.many_to_many:
            labels = _record_names(form_field, [*change.old, *change.new])
        else:
            labels = _choice_labels(form_field, field)
        old_value, new_value = _shown(change.old, labels), _shown(change.new, labels)
        lines.append(f"{capfirst(field.verbose_name)}{colon()} {old_value} → {new_value}")
    return lines


def _choice_labels(form_field, model_field) -> dict[str, str]:
    """value (as text) -> its label, from the form's field or else the model's."""
    choices = getattr(form_field, "choices", None) or model_field.flatchoices or ()
    labels = {}
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group: (name, [(value, label), ...])
            labels.update({str(v): str(text) for v, text in label})
        else:
            labels[str(value)] = str(label)
    return labels


def _record_names(form_field, pks) -> dict[str, str]:
    """id (as text) -> the record's name (a consultation's title), for the records among
    ``pks`` the form offers: not the name of one it would not show (another organisation's,
    left by older versions), said by its id."""
    queryset = getattr(form_field, "queryset", None)
    if queryset is None or not pks:
        return {}
    return {str(record.pk): str(record) for record in queryset.filter(pk__in=pks)}


def _shown(value, labels) -> str:
    """A value as a reader knows it: labels rather than codes, a written date, "oui" or
    "non", a dash for nothing."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(value, bool):
        return quoted(_("oui") if value else _("non"))
    if isinstance(value, datetime.date):
        return quoted(written_date(value))
    if isinstance(value, list | tuple):
        return quoted(", ".join(labels.get(str(item), str(item)) for item in value))
    return quoted(labels.get(str(value), str(value)))


def posted_value(form_field, value):
    """``value`` as the field's widget would post it: a list of strings for several values,
    else a string (a date in the widget's own format); None for a box left unticked."""
    value = form_field.prepare_value(value)
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if value is None:
        return ""
    if isinstance(form_field.widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(value, datetime.date | datetime.time):
        return form_field.widget.format_value(value)
    return str(value)


class VersionField(forms.IntegerField):
    """The version the form was opened at: its memory, not an edit. It never counts as a change,
    so that a form of a formset sent back untouched is not saved (nor a history row written)."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class EditConflictMixin(forms.Form):
    """Add to a ModelForm whose model has ``history``."""

    version = VersionField(required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.latest_version()

    def latest_version(self):
        """The record's version now: read with the record when its queryset had
        ``with_versions``, else asked."""
        if hasattr(self.instance, VERSION_ANNOTATION):
            return getattr(self.instance, VERSION_ANNOTATION)
        return current_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        submitted, latest = cleaned.get("version"), self.latest_version()
        if submitted and latest and str(submitted) != str(latest):
            changes = describe_changes(self.instance, submitted, self.fields)
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = str(latest)  # the next save goes through
            self.merge_changes(changes_since(self.instance, submitted))
            message = _(
                "Quelqu'un a enregistré cette fiche pendant que vous la modifiiez. Vos saisies "
                "sont conservées ci-dessous, et les champs que vous n'aviez pas modifiés "
                "montrent ses valeurs : vérifiez, puis enregistrez à nouveau."
            )
            if changes:
                separator = pgettext("between two changes", " ; ")
                message += " " + _("Ses changements :") + " " + separator.join(changes)
            raise ValidationError(message, code="edit_conflict")
        return cleaned

    def merge_changes(self, changes):
        """Show the other person's value in each field this user left as it was when the form
        was opened: saving again then keeps their change rather than writing back the old
        value. A field both changed keeps this user's input (the message lists the other's)."""
        for change in changes:
            if change.field not in self.fields:
                continue
            form_field, key = self.fields[change.field], self.add_prefix(change.field)
            if form_field.disabled or form_field.has_changed(change.old, self[change.field].data):
                continue
            value = posted_value(form_field, change.new)
            if isinstance(value, list) and hasattr(self.data, "setlist"):
                self.data.setlist(key, value)
            elif value is None:
                self.data.pop(key, None)
            else:
                self.data[key] = value


EditConflictMixin.base_fields["version"].label = gettext_lazy("version")
