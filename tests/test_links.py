"""consultation_link() writes the URLs that reverse() gives."""

from django.urls import reverse, set_script_prefix

from consultations.links import consultation_link


def test_it_gives_what_reverse_gives():
    link = consultation_link()
    for pk in (1, 7, 42, 918_273_645, 10**12):
        assert link(pk) == reverse("consultations:consultation-detail", args=[pk])


def test_it_follows_the_script_prefix():
    set_script_prefix("/vigie/")
    try:
        assert consultation_link()(3) == "/vigie/consultations/3/"
    finally:
        set_script_prefix("/")
