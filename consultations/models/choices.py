"""Lists of choices stored as JSON arrays (several values per record) and their validation."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_choice_list(value, choices, field_label):
    """A JSON list field holds a list of known codes, without repetition."""
    if not isinstance(value, list):
        raise ValidationError(_("%(field)s : une liste est attendue.") % {"field": field_label})
    unknown = [item for item in value if item not in choices.values]
    if unknown:
        raise ValidationError(
            _("%(field)s : valeur inconnue « %(value)s ».")
            % {"field": field_label, "value": unknown[0]}
        )
