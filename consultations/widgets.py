"""Widgets."""

from html import escape
from itertools import groupby
from operator import itemgetter

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django_filters.widgets import BaseCSVWidget


class BrowserDateInput(forms.DateInput):
    """The browser's date picker, which shows only an ISO date ("2026-10-05"). A date typed in
    the site's format ("05/10/2026", which Django accepts) and sent back with another field's
    error is shown in ISO too: otherwise the picker showed it empty, and the next save lost it
    (found by an editor's QA pass)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})}, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str) and value:
            try:
                value = forms.DateField().to_python(value)
            except ValidationError:
                return value  # shown as typed, beside its error
        return super().format_value(value)


class FastSelect(forms.Select):
    """A <select> written in Python. Django renders each <option> through a template, about a
    tenth of a millisecond each: on the list pages, with hundreds of organisations and AI
    systems in the filters, that was most of the page's time (bench/pages.py)."""

    # (value, label) pairs given as they are: Django's ``choices`` setter normalises and copies
    # every pair again, which costs more than writing them out on a long list.
    options = None

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        pairs = self.options if self.options is not None else self.choices
        # Django's grouped choices, (group label, [(value, label), ...]), become <optgroup>s.
        parts, flat = [], []
        for option_value, option_label in pairs:
            if isinstance(option_label, (list, tuple)):
                parts.append(options_html(flat, selected))
                flat = []
                label = escape(str(option_value))
                parts.append(
                    f'<optgroup label="{label}">{options_html(option_label, selected)}</optgroup>'
                )
            else:
                flat.append((option_value, option_label))
        parts.append(options_html(flat, selected))
        # Reviewed: every value and label is escaped (options_html, escape_all, flatatt).
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(parts)}</select>")  # nosec B308 B703


class FastCSVSelect(FastSelect):
    """FastSelect for django-filter's comma-separated fields (the OrderingFilter behind a
    list's "Trier par"): they clean a list of values, as django-filter's own widget gives."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if value is None:
            return None
        return [part for part in value.split(",") if part.strip()]


def options_html(pairs, selected):
    """The <option>s of (value, label) pairs, those whose value is in ``selected`` selected."""
    values = ["" if option_value is None else str(option_value) for option_value, _ in pairs]
    labels = [str(option_label) for _, option_label in pairs]
    return "".join(
        f'<option value="{option_value}"{" selected" if raw in selected else ""}>{label}</option>'
        for raw, option_value, label in zip(
            values, escape_all(values), escape_all(labels), strict=True
        )
    )


def escape_all(texts):
    """Each text escaped (the standard library's escape, as Django's without its lazy-string
    wrapper), in one pass over them all: joined by NUL, which escaping leaves alone, and split
    again; one by one if a text holds a NUL itself."""
    parts = escape("\0".join(texts)).split("\0")
    if len(parts) != len(texts):
        return [escape(text) for text in texts]
    return parts


class FastInput(forms.widgets.Input):
    """An <input> written in Python, for the same reason as FastSelect: a filter form has a
    dozen fields on pages that must stay fast (bench/pages.py)."""

    def __init__(self, input_type, attrs=None):
        super().__init__(attrs)
        self.input_type = input_type

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["type"] = self.input_type
        final_attrs["name"] = name
        value = self.format_value(value)
        if value is not None:
            final_attrs["value"] = value
        # Reviewed: flatatt escapes every attribute.
        return mark_safe(f"<input{flatatt(final_attrs)}>")  # nosec B308 B703


# The inputs FastInput writes out (a value attribute only: not a checkbox, not a file).
FAST_INPUTS = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.DateInput)


# The fields that label a record in a drop-down, read with values_list: building a model
# instance per option costs more than the rest of the page.
LABEL_FIELDS = {
    "Deployment": ("name",),
    "Organisation": ("name",),
    "Body": ("name",),
}
# The drop-downs whose options are grouped (<optgroup>) under a related record, by its name: a
# federation's lists run to hundreds of AI systems and councils, found by their company.
GROUP_BY = {"Deployment": "organisation", "Body": "organisation"}


def fast_choices(field):
    """(value, label) pairs of a ModelChoiceField, read without building model instances;
    Django's grouped choices when the model is in GROUP_BY."""
    model = field.queryset.model.__name__
    fields = LABEL_FIELDS.get(model)
    if fields is None:
        return field.widget.choices
    empty = [("", field.empty_label or "")]
    group = GROUP_BY.get(model)
    if group is None:
        return empty + [(pk, label) for pk, label in field.queryset.values_list("pk", *fields)]
    rows = field.queryset.order_by(f"{group}__name", group, *fields, "pk").values_list(
        f"{group}__name", group, "pk", *fields
    )
    return empty + grouped(rows)


def grouped(rows):
    """Django's grouped choices, [(group's name, [(value, label), ...]), ...], from rows of
    (group's name, group's id, value, label) sorted by group: two groups of the same name stay
    apart."""
    return [
        (name, [(value, label) for _name, _group, value, label in items])
        for (name, _group), items in groupby(rows, key=itemgetter(0, 1))
    ]


def dress_filter_fields(form, options=None):
    """Bootstrap classes on the filter fields, FastSelect for every drop-down, FastInput for
    every other input. ``options``: the (value, label) pairs of some drop-downs, by field name,
    when the caller has read them already."""
    options = options or {}
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.Select) and not isinstance(
            field.widget, forms.SelectMultiple
        ):
            fast = FastCSVSelect if isinstance(field.widget, BaseCSVWidget) else FastSelect
            widget = fast(attrs={**field.widget.attrs, "class": "form-select form-select-sm"})
            if name in options:
                widget.options = [("", getattr(field, "empty_label", None) or "")] + options[name]
            elif isinstance(field, forms.ModelChoiceField):
                widget.options = fast_choices(field)
            else:
                widget.choices = field.widget.choices
            field.widget = widget
        elif isinstance(field.widget, FAST_INPUTS):
            attrs = {"class": "form-control form-control-sm", **field.widget.attrs}
            input_type = attrs.pop("type", field.widget.input_type)
            field.widget = FastInput(input_type, attrs)
        else:
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
