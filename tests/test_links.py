"""link_maker() writes the URLs that reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix

from consultations.links import consultation_link, link_maker


@pytest.mark.parametrize(
    "view_name", ["consultations:consultation-detail", "consultations:motion-pdf"]
)
def test_it_gives_what_reverse_gives(view_name):
    link = link_maker(view_name)
    for pk in (1, 7, 42, 918_273_645, 10**12):
        assert link(pk) == reverse(view_name, args=[pk])


def test_it_follows_the_script_prefix():
    set_script_prefix("/vigie/")
    try:
        assert consultation_link()(3) == "/vigie/consultations/3/"
    finally:
        set_script_prefix("/")
