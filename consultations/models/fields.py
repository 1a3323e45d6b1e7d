"""Model fields of the project."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

# About ten pages. A text of megabytes (a paste gone wrong, or malice) made the consultation page
# weigh as much and its PDF dossier take minutes: WeasyPrint lays a long paragraph out in more
# than linear time.
LONG_TEXT_MAX_LENGTH = 30_000


class LongTextField(models.TextField):
    """A text typed in a form, of a few pages at most: refused beyond LONG_TEXT_MAX_LENGTH
    characters, in words, by the forms (this site's and the admin's) and by full_clean(). The
    text areas carry no ``maxlength`` attribute: a browser would cut a longer paste without a
    word, where the form's message keeps the text for the writer to shorten."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", LONG_TEXT_MAX_LENGTH)
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(self.max_length))

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.widget.attrs.pop("maxlength", None)
        return field


def future_dates_set(record, names) -> list[str]:
    """The date fields among ``names`` that hold a day after today and are being set or changed:
    compared with the stored row (one query, only when a future date is there). A step recorded
    once it has happened (an answer received, an opinion given, an expert's report) is refused
    in the future; a record saved before such a rule with a future date stays editable as long
    as that date is left as it is (found by an editor's QA pass: an expertise's old date blocked
    every save of its consultation in the admin)."""
    today = timezone.localdate()
    future = [name for name in names if (day := getattr(record, name)) and day > today]
    if future and record.pk is not None:
        saved = type(record)._default_manager.filter(pk=record.pk).values(*future).first() or {}
        future = [name for name in future if saved.get(name) != getattr(record, name)]
    return future


def saved_with(record, *names) -> bool:
    """Whether ``record`` is saved with its present values of the fields ``names``: a rule
    checked only when one of them is set or changed leaves a record saved before it editable
    (one query; False for a new record)."""
    if record.pk is None:
        return False
    saved = type(record)._default_manager.filter(pk=record.pk).values_list(*names).first()
    return saved == tuple(getattr(record, name) for name in names)
