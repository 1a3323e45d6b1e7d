"""The admin's page titles in French elide the article before a vowel (Django's French admin
wrote « Modification de expertise »)."""

import re

import pytest
from django.urls import reverse

from consultations.wording import of_noun_in_french

from .conftest import client_for
from .factories import ExpertiseFactory, VoteFactory


def title_of(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1)


@pytest.mark.parametrize(
    ("noun", "written"),
    [
        ("expertise", "d’expertise"),
        ("événement", "d’événement"),
        ("organisation", "d’organisation"),
        ("adhésion", "d’adhésion"),
        ("vote", "de vote"),
        ("réponse de la direction", "de réponse de la direction"),
    ],
)
def test_de_is_elided_before_a_vowel(noun, written):
    assert of_noun_in_french(noun) == written


def test_the_admin_titles_its_pages_with_the_article_elided(superuser):
    client = client_for(superuser)
    expertise = ExpertiseFactory()
    vote = VoteFactory()

    add = client.get(reverse("admin:consultations_expertise_add"))
    change = client.get(reverse("admin:consultations_expertise_change", args=[expertise.pk]))
    vote_page = client.get(reverse("admin:consultations_vote_change", args=[vote.pk]))

    assert title_of(add) == "Ajout d’expertise"
    assert title_of(change) == "Modification d’expertise"
    assert "| Modification d’expertise |" in change.content.decode()
    assert title_of(vote_page) == "Modification de vote"


def test_english_keeps_djangos_titles(superuser):
    client = client_for(superuser)
    expertise = ExpertiseFactory()
    client.cookies["django_language"] = "en"

    change = client.get(
        reverse("admin:consultations_expertise_change", args=[expertise.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert title_of(change) == "Change expert assessment"
