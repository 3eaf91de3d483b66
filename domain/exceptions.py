"""Domain exceptions that services raise and the API maps to HTTP statuses.

Services also raise Django's ``ValidationError`` (400) and ``PermissionDenied`` (403).
"""


class Conflict(Exception):
    """The action contradicts the current state (registration closed, thread locked): 409."""

    def __init__(self, message: str, *, code: str = "conflict"):
        super().__init__(message)
        self.message = message
        self.code = code


class RateLimited(Exception):
    """The actor acts too often; they may try again after ``retry_after`` seconds: 429."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, int(retry_after))
