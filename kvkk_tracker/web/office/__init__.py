from . import account, case, case_actions, log, queue, users  # noqa: F401  (register the routes)
from .blueprint import bp

__all__ = ["bp"]
