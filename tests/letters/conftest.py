"""Fixtures for the letters tests, borrowed from the office and jobs suites."""

from tests.jobs.conftest import smtp_sink  # noqa: F401  (fixture)
from tests.office.conftest import cheap_password_hashing  # noqa: F401  (autouse fixture)
