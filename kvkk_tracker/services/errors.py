"""Domain errors raised by services and translated into messages by the views."""


class ServiceError(Exception):
    """Base class for errors a user can act on."""


class NotFound(ServiceError):
    """The thing does not exist, or the caller may not know that it does."""
