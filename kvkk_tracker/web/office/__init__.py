from . import account, queue, users  # noqa: F401,E402  (register the routes)
from .blueprint import bp

__all__ = ["bp"]
