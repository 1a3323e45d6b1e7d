"""Production hardening: Content-Security-Policy, no inline script, throttled sign-in, cookies."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from . import factories

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_it_sends_a_content_security_policy_without_inline_script(client):
    policy = client.get(reverse("consultations:public-list"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_it_has_no_inline_script_or_style_in_its_templates():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        inline_scripts = [tag for tag in re.findall(r"<script[^>]*>", text) if "src=" not in tag]
        assert inline_scripts == [], template
        assert not re.search(r"\son\w+=", text), template  # no onclick= and the like
        assert 'style="' not in text, template


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("consultations:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_it_throttles_sign_in_per_account(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    factories.UserFactory(username="cible")
    statuses = [
        sign_in(client, "cible", "mauvais", address=f"10.0.0.{i}").status_code for i in range(3)
    ]
    assert statuses == [200, 200, 429]  # the third failure locks the account
    locked = sign_in(client, "cible", "correct horse battery staple", address="10.0.0.9")
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    other = factories.UserFactory(username="autre")
    assert (
        sign_in(
            client, other.username, "correct horse battery staple", address="10.0.0.9"
        ).status_code
        == 302
    )


def test_it_throttles_sign_in_per_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    factories.UserFactory(username="victime")
    for index in range(3):
        sign_in(client, f"inconnu{index}", "mauvais", address="10.9.9.9")
    assert (
        sign_in(client, "victime", "correct horse battery staple", address="10.9.9.9").status_code
        == 429
    )
    assert (
        sign_in(client, "victime", "correct horse battery staple", address="10.1.1.1").status_code
        == 302
    )


def test_it_says_why_a_sign_in_failed_in_french(client):
    page = sign_in(client, "personne", "mauvais").content.decode()
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in page


def test_it_marks_the_session_cookie_http_only(client):
    factories.UserFactory(username="moi")
    response = sign_in(client, "moi", "correct horse battery staple")
    assert response.cookies["sessionid"]["httponly"]


def test_a_refused_password_change_is_summed_up_at_the_top_and_done_leads_to_the_workspace(
    client,
):
    """As on every form: the errors are listed above the form, each linked to its field."""
    user = factories.UserFactory(username="claire")
    user.set_password("ancien-mot-de-passe-9")
    user.save()
    client.force_login(user)
    url = reverse("consultations:password-change")
    page = client.post(
        url,
        {
            "old_password": "faux",
            "new_password1": "Nouveau-secret-2026",
            "new_password2": "Nouveau-secret-2026",
        },
    ).content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#id_old_password"' in page
    assert "saisissez-les à nouveau" in page and "Ce que vous avez saisi est conservé" not in page
    done = client.post(
        url,
        {
            "old_password": "ancien-mot-de-passe-9",
            "new_password1": "Nouveau-secret-2026",
            "new_password2": "Nouveau-secret-2026",
        },
        follow=True,
    ).content.decode()
    assert f'href="{reverse("consultations:workspace")}">Retour à mon espace' in done


def test_the_sign_in_link_leads_back_to_the_page_and_is_not_offered_on_the_sign_in_page(client):
    """Offered on the sign-in page itself, its « next » held that page's own address, nested one
    more level at each click until the address was too long (found by a reader's QA pass)."""
    login = reverse("consultations:login")
    page = client.get(reverse("consultations:public-list"), {"page": "2"}).content.decode()
    assert f'href="{login}?next=/%3Fpage%3D2"' in page
    page = client.get(login, {"next": "/x/"}).content.decode()
    assert f'href="{login}?next=' not in page and 'name="next" value="/x/"' in page


def test_behind_a_proxy_it_throttles_the_visitor_not_the_proxy(client, settings):
    """With nginx in front, every request comes from the proxy's address: counted by it, a
    stranger's failures would lock the sign-in page for every member."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXIES = 1
    factories.UserFactory(username="membre")

    def sign_in_through_proxy(username, password, forwarded):
        return client.post(
            reverse("consultations:login"),
            {"username": username, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for index in range(3):
        sign_in_through_proxy(f"inconnu{index}", "mauvais", "198.51.100.7")
    # a forged address on the left does not escape the count
    forged = sign_in_through_proxy(
        "membre", "correct horse battery staple", "192.0.2.9, 198.51.100.7"
    )
    assert forged.status_code == 429
    member = sign_in_through_proxy("membre", "correct horse battery staple", "203.0.113.20")
    assert member.status_code == 302
