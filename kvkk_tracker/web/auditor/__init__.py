from .blueprint import bp

# Route modules register themselves on `bp` when imported here.

__all__ = ["bp"]
