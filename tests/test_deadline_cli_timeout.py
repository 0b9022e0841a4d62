"""`kvkk-tracker deadline` against a PostgreSQL server it cannot reach gives up in seconds.

The command reads the admin's holiday overrides when it can and otherwise answers from the
package calendar with a one-line warning. Without a connect timeout libpq waits forever for a
host that drops packets or a server that accepts and never speaks; here each case must answer
within five seconds, with the package calendar's dates.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from kvkk_tracker import cli, create_app
from kvkk_tracker.domain.calendar import HOLIDAYS_SOURCE
from kvkk_tracker.extensions import db

WARNING = "Warning: holiday overrides could not be read ("
TAIL = f"); the {HOLIDAYS_SOURCE} package calendar alone was used.\n"


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port whose server accepts (the kernel completes the handshake from the backlog) and
    never says a word: the client waits for the server's answer to its first message."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


def postgres_app(tmp_path, address: str, query: str = ""):
    return create_app({"KVKK_ENV": "testing", "INSTANCE_PATH": str(tmp_path / "instance"),
                       "SQLALCHEMY_DATABASE_URI":
                           f"postgresql+psycopg://kvkk@{address}/kvkk{query}"})


def run_deadline(app) -> tuple[float, object]:
    started = time.monotonic()
    result = app.test_cli_runner().invoke(args=["deadline", "2026-04-01", "--json",
                                                "--lang", "en"])
    elapsed = time.monotonic() - started
    with app.app_context():
        db.engine.dispose()
    return elapsed, result


def assert_package_answer(result) -> str:
    """The package calendar's dates on stdout, one warning line on stderr; its reason."""
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outer_due"] == "2026-05-04"
    assert result.stderr.startswith(WARNING) and result.stderr.endswith(TAIL), result.stderr
    assert result.stderr.count("\n") == 1
    return result.stderr.removeprefix(WARNING).removesuffix(TAIL)


def test_a_refused_connection_warns_at_once(tmp_path, closed_port):
    elapsed, result = run_deadline(postgres_app(tmp_path, f"127.0.0.1:{closed_port}"))
    assert_package_answer(result)  # "Connection refused", in the system's language
    assert elapsed < 2


def test_a_server_that_never_answers_is_given_up_after_the_timeout(tmp_path, silent_server):
    elapsed, result = run_deadline(postgres_app(tmp_path, f"127.0.0.1:{silent_server}"))
    assert "timeout" in assert_package_answer(result)
    # The timeout ended it (psycopg waits at least 2 s), not an error of some other kind.
    assert 1.9 < elapsed < 5, elapsed


def test_a_host_that_may_not_answer_is_given_up_within_five_seconds(tmp_path):
    """A non-routable address: on most networks no answer at all, on some an instant error
    (no route, or a sandbox's proxy answering); within five seconds either way."""
    elapsed, result = run_deadline(postgres_app(tmp_path, "10.255.255.1:5432"))
    assert_package_answer(result)
    assert elapsed < 5, elapsed


@pytest.mark.parametrize(("query", "expected"), [
    ("", cli.OVERRIDES_CONNECT_TIMEOUT),
    ("?connect_timeout=10", "10"),  # an operator's own setting is kept
])
def test_the_timeout_is_added_for_the_overrides_read_only(tmp_path, closed_port, query,
                                                          expected):
    app = postgres_app(tmp_path, f"127.0.0.1:{closed_port}", query)
    seen: list[dict] = []

    def record(_dialect, _record, _cargs, cparams):
        seen.append(cparams)  # the very dict the command's listener completes after this one

    with app.app_context():
        engine = db.engine
        event.listen(engine, "do_connect", record)
        try:
            run_deadline(app)
            assert [params.get("connect_timeout") for params in seen] == [expected]
            # The command's listener is gone: other connections wait as configured.
            seen.clear()
            with pytest.raises(OperationalError):
                engine.connect()
            assert [params.get("connect_timeout") for params in seen] == [
                "10" if query else None]
        finally:
            event.remove(engine, "do_connect", record)
