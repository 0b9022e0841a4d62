from . import account, case, case_actions, log, outbox, queue, users  # noqa: F401  (routes)
from .blueprint import bp

__all__ = ["bp"]
