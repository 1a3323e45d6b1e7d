"""A form page that marks required fields with an asterisk says once, before its fields, what
the asterisk means (templates/consultations/forms/_errors.html, forms.shows_required_field)."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from consultations.forms import _helper, shows_required_field

from .conftest import client_for
from .test_editing import PAGES, records  # noqa: F401  (records: the fixture of the pages)

pytestmark = pytest.mark.django_db

NOTE = "Les champs marqués d'un astérisque (*) sont obligatoires."
NOTE_EN = "Fields marked with an asterisk (*) are required."
ASTERISK = '<span class="asteriskField">*</span>'


def assert_said_once_before_the_fields(page, note=NOTE):
    assert page.count(ASTERISK) > 0
    assert page.count(note) == 1
    assert page.index(note) < page.index(ASTERISK)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_editing_page_says_what_the_asterisk_means(page, editor_a, records):  # noqa: F811
    response = client_for(editor_a).get(page.url(records))
    assert_said_once_before_the_fields(response.content.decode())


def test_the_sign_in_and_password_pages_say_it_too(editor_a):
    assert_said_once_before_the_fields(
        client_for(None).get(reverse("consultations:login")).content.decode()
    )
    assert_said_once_before_the_fields(
        client_for(editor_a).get(reverse("consultations:password-change")).content.decode()
    )


def test_it_is_said_in_english_to_an_english_reader(editor_a, records):  # noqa: F811
    client = client_for(editor_a)
    client.get(reverse("consultations:switch-language", args=["en"]))
    url = reverse("consultations:expertise-edit", args=[records.expertise.pk])
    page = client.get(url).content.decode()
    assert_said_once_before_the_fields(page, NOTE_EN)
    assert NOTE not in page


def test_a_page_with_an_error_says_it_after_the_summary(editor_a, records):  # noqa: F811
    url = reverse("consultations:expertise-edit", args=[records.expertise.pk])
    page = client_for(editor_a).post(url, {"ground": "nonsense"}).content.decode()
    assert 'id="error-summary"' in page
    assert_said_once_before_the_fields(page)
    assert page.index('id="error-summary"') < page.index(NOTE)


# --- Forms without an asterisk -----------------------------------------------------------------


class Optional(forms.Form):
    name = forms.CharField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)  # required, but not shown


class OneRequired(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


def top_of_form(**context):
    request = RequestFactory().get("/")
    with translation.override("fr"):
        return render_to_string("consultations/forms/_errors.html", context, request=request)


def test_a_form_without_a_required_field_says_nothing_of_asterisks():
    assert NOTE not in top_of_form(form=Optional())
    assert NOTE not in top_of_form()
    assert NOTE in top_of_form(form=Optional(), other=OneRequired())


def test_a_required_field_the_layout_does_not_show_draws_no_asterisk():
    form = OneRequired()
    assert shows_required_field(form)
    form.helper = _helper("note")
    assert not shows_required_field(form)
    form.helper = _helper("name", "note")
    form.helper.form_show_labels = False
    assert not shows_required_field(form)


def test_a_formset_counts_by_its_forms():
    assert shows_required_field(forms.formset_factory(OneRequired, extra=2)())
    assert not shows_required_field(forms.formset_factory(Optional, extra=2)())
    assert not shows_required_field(forms.formset_factory(OneRequired, extra=0)())
    assert NOTE in top_of_form(formset=forms.formset_factory(OneRequired, extra=1)())
