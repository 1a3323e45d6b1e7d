"""Secure by default: with DEBUG off and a real secret key, `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "SECRET_KEY": "a-real-secret-key-for-the-test-" + "x7Hq9!Lm2#Pz4&Vb8*Rt6^Nw1@Kd3$Yc5%" * 2,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "vigie.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/0",  # shared by the workers (not reached by check)
}


def run_manage(*args, extra_env=None):
    ignored = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set the last
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    env.update(PRODUCTION_ENV)
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_it_passes_check_deploy_without_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_warns_of_a_cache_local_to_each_process():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", extra_env={"CACHE_URL": "locmem://"}
    )
    assert result.returncode != 0
    assert "vigie.W001" in result.stderr + result.stdout


def test_it_lets_each_protection_be_turned_off():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)",
        extra_env={
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "0",
        },
    )
    assert result.stdout.split() == ["False", "0", "False"], result.stderr


def test_it_keeps_database_connections_between_requests_unless_told():
    show = "from django.db import connection as c; print(c.settings_dict['CONN_MAX_AGE'], c.settings_dict['CONN_HEALTH_CHECKS'])"
    assert run_manage("shell", "--no-imports", "-c", show).stdout.split() == ["60", "True"]
    told = run_manage("shell", "--no-imports", "-c", show, extra_env={"CONN_MAX_AGE": "0"})
    assert told.stdout.split() == ["0", "True"], told.stderr


def test_it_defaults_to_french_in_paris():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "en"]
