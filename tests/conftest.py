"""Suite-wide hygiene and shared fixtures: every test starts in French (the default) whatever the previous
one set; ``english`` switches a test to the English source messages."""

import os

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

import helpers_core  # noqa: E402
from helpers_core import english  # noqa: E402,F401 - the shared fixture, defined once in helpers_core
from helpers_pg import demo_sqlite_file, pg_server, pg_template, pg_url  # noqa: E402,F401 - the PostgreSQL test cluster

# Test modules that run on both engines: every test in them runs once on a SQLite file and once on a
# database of the PostgreSQL test cluster (``make_store`` builds on the engine of the run). A test that
# reaches under the store (a sqlite3 connection, a PRAGMA) is marked ``sqlite_only``.
BOTH_ENGINES = {"test_credit", "test_checkout", "test_vouchers", "test_closing", "test_integrity",
                "test_accounts", "test_cards", "test_products", "test_staff", "test_users", "test_voucher_purposes",
                "test_credit_state_machine", "test_concurrency", "test_settings", "test_email", "test_periods",
                "test_stores", "test_debts_by_start",
}


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: runs on SQLite only (reaches under the store)")


def pytest_generate_tests(metafunc):
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if module in BOTH_ENGINES and "engine" in metafunc.fixturenames \
            and not metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(autouse=True)
def engine(request):
    """The engine ``make_store`` builds on for this test (SQLite unless the module runs on both)."""
    name = getattr(request, "param", "sqlite")
    if name != "postgresql":
        yield name
        return
    server = request.getfixturevalue("pg_server")
    request.getfixturevalue("pg_template")
    helpers_core.ENGINE.update(name=name, server=server, created=[])
    try:
        yield name
    finally:
        created = helpers_core.ENGINE["created"]
        helpers_core.ENGINE.update(name="sqlite", server=None, created=[])
        if created:
            with server.connect() as conn:
                for db in created:
                    conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


@pytest.fixture(autouse=True)
def _reset_language():
    from pos_tui import i18n

    i18n.set_language("fr")
    yield
    i18n.set_language("fr")


@pytest.fixture(autouse=True)
def _instant_pin_delay(monkeypatch):
    """A wrong PIN waits a little before its answer (services.auth); tests record the waits instead of sleeping."""
    from pos_tui.services import auth

    waits: list[float] = []
    monkeypatch.setattr(auth, "_sleep", waits.append)
    return waits
