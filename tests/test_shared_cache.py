"""Two application servers on one PostgreSQL database and one Redis cache: an edit made through
one is what the other serves next (issue: several servers behind a load balancer).

Runs when the tests run on PostgreSQL and Redis answers on 127.0.0.1:6379 (as in .ci/run);
skipped otherwise, with the reason.
"""

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import connection

from consultations.models import Consultation, Membership

from . import factories

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/15"
PASSWORD = "correct horse battery staple"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FormReader(HTMLParser):
    """The fields of the POST form in the page's <main>, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields, self.in_form, self.select, self.textarea = [], False, None, None
        self.in_main = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        if tag == "form" and self.in_main and attrs.get("method", "").lower() == "post":
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append(
                    (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
                )
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.fields.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form = False


class Browser:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=20) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{error.code} on {path}: {error.read().decode()[:300]}") from None

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            body = error.read().decode()
            raise AssertionError(f"{error.code} on POST {path}: {body[:300]}") from None

    def submit(self, path, changes):
        reader = FormReader()
        reader.feed(self.get(path))
        fields = [(name, value) for name, value in reader.fields if name not in changes]
        return self.post(path, fields + list(changes.items()))


def start_server(port, env):
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


@pytest.mark.django_db(transaction=True)
def test_it_serves_an_edit_made_on_one_server_from_the_other():
    if connection.vendor != "postgresql":
        pytest.skip("needs the suite on PostgreSQL (DATABASE_URL), as in .ci/run")
    if not redis_answers():
        pytest.skip("needs Redis on 127.0.0.1:6379, as in .ci/run")
    organisation = factories.OrganisationFactory()
    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation),
        title="Titre d'origine",
        visibility=Consultation.Visibility.PUBLIC,
    )
    editor = factories.UserFactory(username="editeur-partage")
    factories.MembershipFactory(user=editor, organisation=organisation, role=Membership.Role.EDITOR)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CACHE_URL": REDIS_URL,
        "DEBUG": "true",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "",
    }
    subprocess.run(["redis-cli", "-n", "15", "FLUSHDB"], check=False, capture_output=True)
    ports = free_port(), free_port()
    servers = [start_server(port, env) for port in ports]
    try:
        one, two = (Browser(f"http://127.0.0.1:{port}") for port in ports)
        page = f"/consultations/{consultation.pk}/"
        assert "Titre d&#x27;origine" in one.get(page)
        assert "Titre d&#x27;origine" in two.get(page)  # both have it cached now
        two.submit("/accounts/login/", {"username": "editeur-partage", "password": PASSWORD})
        two.submit(f"/consultations/{consultation.pk}/edit/", {"title": "Titre modifié"})
        consultation.refresh_from_db()
        assert consultation.title == "Titre modifié"
        served = one.get(page)
        assert "Titre modifié" in served and "Titre d&#x27;origine" not in served
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
