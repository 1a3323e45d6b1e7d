"""Fixed personas (shared/DESIGN.md): superuser, editor of A, reader of A, editor of B, anonymous."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from consultations.models import Membership

from .factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    """Manifest storage breaks the test client and live_server; uploads go to a temp folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECURE_SSL_REDIRECT = False
    cache.clear()  # each test starts with no cached page (the cache outlives the rolled-back data)


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Each test starts in the site's language: a request in English (a cookie, a header)
    leaves English active on the thread, which would otherwise leak into the next test."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def organisation_a(db):
    return OrganisationFactory(name="Organisation A", slug="organisation-a")


@pytest.fixture
def organisation_b(db):
    return OrganisationFactory(name="Organisation B", slug="organisation-b")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def editor_a(organisation_a):
    user = UserFactory(username="editor-a", is_staff=True)
    MembershipFactory(user=user, organisation=organisation_a, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def reader_a(organisation_a):
    user = UserFactory(username="reader-a")
    MembershipFactory(user=user, organisation=organisation_a, role=Membership.Role.READER)
    return user


@pytest.fixture
def editor_b(organisation_b):
    user = UserFactory(username="editor-b", is_staff=True)
    MembershipFactory(user=user, organisation=organisation_b, role=Membership.Role.EDITOR)
    return user


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
