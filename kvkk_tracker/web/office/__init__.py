from . import (  # noqa: F401  (routes)
    account,
    case,
    case_actions,
    holidays,
    inventory,
    letters,
    log,
    outbox,
    queue,
    users,
)
from .blueprint import bp

__all__ = ["bp"]
