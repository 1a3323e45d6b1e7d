"""Model fields of the project."""

from django.core.validators import MaxLengthValidator
from django.db import models

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
