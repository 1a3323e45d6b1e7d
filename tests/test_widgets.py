"""The filter widgets written in Python (consultations/widgets.py) write what Django's write."""

import re
from html import escape

from django import forms

from consultations.widgets import FastSelect, escape_all

HOSTILE = "<script>alert('x')</script> & \"quoted\""


def normalised(html):
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


def test_escape_all_escapes_each_text_as_escape_does():
    texts = ["", HOSTILE, "plain", "a\0b", "«\u202fOK\u202f»"]
    assert escape_all(texts) == [escape(text) for text in texts]
    assert escape_all(texts[1:3]) == [escape(text) for text in texts[1:3]]
    assert escape_all([]) == []


def test_fast_select_writes_the_options_of_a_django_select():
    choices = [("", "---------"), (1, HOSTILE), ('b"x', "B"), (3, "Trois")]
    fast = FastSelect(attrs={"class": "form-select"})
    fast.options = choices
    django = forms.Select(attrs={"class": "form-select"}, choices=choices)
    for value in (None, 1, 'b"x'):
        written, expected = (
            normalised(fast.render("f", value)),
            normalised(django.render("f", value)),
        )
        assert (
            written.startswith("<select")
            and 'name="f"' in written
            and 'class="form-select"' in written
        )
        assert written[written.index("<option") :] == expected[expected.index("<option") :]
    assert "<script>" not in fast.render("f", None)


def test_fast_select_writes_grouped_choices_as_django_does():
    """Grouped choices, as the AI systems under their organisation, become <optgroup>s."""
    choices = [
        ("", "---------"),
        (HOSTILE, [(1, "MAIA"), (2, HOSTILE)]),
        ("Orange", [(3, "APC")]),
        (4, "Sans groupe"),
    ]
    fast = FastSelect()
    fast.options = choices
    django = forms.Select(choices=choices)
    for value in (None, 2, 3, 4):
        written, expected = (
            normalised(fast.render("f", value)),
            normalised(django.render("f", value)),
        )
        assert written[written.index("<option") :] == expected[expected.index("<option") :]
    assert "<script>" not in fast.render("f", None)
