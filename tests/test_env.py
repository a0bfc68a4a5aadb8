from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pathway.env import env_bool, env_int, env_list, parse_database_url


def test_env_bool_words(monkeypatch):
    for word, expected in [("1", True), ("yes", True), ("On", True), ("0", False), ("false", False), ("", False)]:
        monkeypatch.setenv("FLAG", word)
        assert env_bool("FLAG") is expected
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", True) is True


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("PORT_X", "eighty")
    with pytest.raises(ImproperlyConfigured, match="PORT_X must be a whole number"):
        env_int("PORT_X", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, b.example ,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def test_sqlite_urls():
    base = Path("/srv/pathway")
    assert parse_database_url("sqlite:///db.sqlite3", base)["NAME"] == "/srv/pathway/db.sqlite3"
    assert parse_database_url("sqlite:////var/lib/pathway.db", base)["NAME"] == "/var/lib/pathway.db"


def test_postgres_url():
    config = parse_database_url("postgres://pathway:s%40cret@db.internal:5433/pathway?sslmode=require", Path("/"))
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "pathway",
        "s@cret",
        "db.internal",
        "5433",
        "pathway",
    )
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_postgres_socket_url():
    config = parse_database_url("postgres://postgres@/test?host=/tmp/pg", Path("/"))
    assert config["HOST"] == "/tmp/pg"
    assert "OPTIONS" not in config


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("?sslmode=require", {"sslmode": "require"}),
        ("?server_side_binding=true&prepare_threshold=1", {"server_side_binding": True, "prepare_threshold": 1}),
        ("?server_side_binding=off", {"server_side_binding": False}),
    ],
)
def test_postgres_prepared_statements_are_opt_in(query, options):
    assert parse_database_url(f"postgres://u@h/db{query}", Path("/"))["OPTIONS"] == options


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?server_side_binding=sometimes", "server_side_binding must be true or false; got 'sometimes'"),
        ("?prepare_threshold=none", "prepare_threshold must be a whole number; got 'none'"),
    ],
)
def test_postgres_statement_options_are_checked(query, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_database_url(f"postgres://u@h/db{query}", Path("/"))
