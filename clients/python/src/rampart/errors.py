"""Errors raised by the client: one class per kind of failure, all under :class:`RampartError`."""

from __future__ import annotations

from typing import Optional


class RampartError(Exception):
    """Anything the client could not do."""


class ApiError(RampartError):
    """The server answered with an error document ``{"error": {"code", "message"}}``.

    ``code`` is the server's stable error code (``not_found``, ``forbidden``, ``conflict``, ...); ``status`` the HTTP
    status.
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class ConnectionFailed(RampartError):
    """The server could not be reached (refused, timed out, TLS failure)."""


class SigningFailed(RampartError):
    """The ``rampart`` command that signs or attests failed; ``output`` holds what it printed."""

    def __init__(self, message: str, output: Optional[str] = None) -> None:
        super().__init__(message if not output else f"{message}\n{output}")
        self.output = output


class UnsafePath(RampartError):
    """A model or dataset folder holds something the digest refuses (a symbolic link, a special file)."""
