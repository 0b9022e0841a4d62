from . import letters  # noqa: F401  (routes)
from .routes import bp

__all__ = ["bp"]
