"""Settings come from the environment; malformed values stop start-up with one line."""

import pytest

from config.env import SettingError, parse_database_url, parse_email_url, parse_redis_url
from tests.process import run_manage


def test_sqlite_url_gives_the_sqlite_engine():
    config = parse_database_url("sqlite:///db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"


def test_postgres_url_gives_host_port_and_name():
    config = parse_database_url("postgres://club:secret@db.example.org:5433/club")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example.org", 5433, "club")
    assert config["PASSWORD"] == "secret"


@pytest.mark.parametrize(
    "url",
    ["mysql://x@y/z", "not a url", "postgres://host:notaport/club", "postgres://host:5432/"],
)
def test_malformed_database_url_names_the_variable(url):
    with pytest.raises(SettingError, match="^DATABASE_URL"):
        parse_database_url(url)


@pytest.mark.parametrize("url", ["http://localhost:6379", "redis://:abc", "redis://host:port"])
def test_malformed_redis_url_names_the_variable(url):
    with pytest.raises(SettingError, match="^REDIS_URL"):
        parse_redis_url(url)


def test_smtp_email_url_sets_host_credentials_and_tls():
    config = parse_email_url("smtp+tls://mailer:p%40ss@smtp.example.org:2525")
    assert config["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert config["EMAIL_HOST"] == "smtp.example.org"
    assert config["EMAIL_PORT"] == 2525
    assert config["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert config["EMAIL_USE_TLS"] is True


def test_console_is_the_default_email_backend():
    assert parse_email_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_unknown_email_scheme_is_refused():
    with pytest.raises(SettingError, match="^EMAIL_URL"):
        parse_email_url("pigeon://coop")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://nope"),
        ("REDIS_URL", "http://nope"),
        ("DEBUG", "maybe"),
        ("TASKS_BACKEND", "celery"),
        ("TASKS_MAX_ATTEMPTS", "0"),
        ("TASKS_WORKER_TIMEOUT", "5"),
    ],
)
def test_malformed_variable_stops_start_up_with_one_line(variable, value):
    result = run_manage("check", **{variable: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_a_channel_layer_without_connections_stops_start_up_with_one_line(value):
    # Without a connection, every forum socket would fail at its first send instead.
    result = run_manage(
        "check", REDIS_URL="redis://127.0.0.1:6379/0", CHANNEL_LAYER_CONNECTIONS=value
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "CHANNEL_LAYER_CONNECTIONS" in lines[0]
    assert "Traceback" not in result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr
