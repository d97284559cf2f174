"""Errors that carry their meaning for users: an HTTP status, a stable code and details.

Every layer raises these; the CLI (and later the web application) turns them into output in one
place, so a message is written once and reads the same everywhere.
"""

from __future__ import annotations

from typing import Any


class ChildsafeError(Exception):
    """Base of every error a user may see. ``status`` follows HTTP semantics."""

    status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """The one JSON error shape: ``{"error": {"code", "message", "status", "details"}}``."""
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "status": self.status,
                "details": self.details,
            }
        }


class NotFound(ChildsafeError):
    status = 404
    code = "not_found"


class InvalidValue(ChildsafeError):
    """A value that cannot be cleaned into its type (a criterion value, a code, a date)."""

    status = 422
    code = "invalid_value"


class RuleSyntaxError(ChildsafeError):
    """A classification rule that does not parse; ``position`` is the 0-based offset."""

    status = 422
    code = "rule_syntax"

    def __init__(self, message: str, *, rule: str, position: int) -> None:
        super().__init__(
            f"{message} at position {position} in rule {rule!r}", rule=rule, position=position
        )
        self.position = position


class FrameworkError(ChildsafeError):
    """A shipped or user-supplied framework/data file that is inconsistent."""

    status = 500
    code = "framework_error"


class ImportProblem(ChildsafeError):
    """One bad cell of an import file, located precisely."""

    status = 422
    code = "import_error"

    def __init__(self, message: str, *, file: str, line: int, column: str, value: str) -> None:
        super().__init__(
            f"{file}:{line}: column {column!r}, value {value!r}: {message}",
            file=file,
            line=line,
            column=column,
            value=value,
            reason=message,
        )


class ImportRejected(ChildsafeError):
    """An import refused as a whole; ``problems`` lists every bad cell (nothing was written)."""

    status = 422
    code = "import_rejected"

    def __init__(self, file: str, problems: list[ImportProblem]) -> None:
        shown = "\n".join(f"  {p.message}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            f"{file}: import refused, nothing was written ({len(problems)} problem(s)):\n"
            f"{shown}{more}",
            file=file,
            problems=[p.details for p in problems],
        )
        self.problems = problems


class ConfigurationError(ChildsafeError):
    status = 500
    code = "configuration_error"


class ImportFailed(ChildsafeError):
    """An import stopped for a reason other than its content (the validating process died);
    nothing was written."""

    status = 500
    code = "import_failed"


class Unauthenticated(ChildsafeError):
    """No valid session, or a login that failed (the same error whatever the reason)."""

    status = 401
    code = "unauthenticated"


class Forbidden(ChildsafeError):
    """Signed in, but this role (or this person, e.g. approving their own proposal) may not."""

    status = 403
    code = "forbidden"


class Conflict(ChildsafeError):
    """The request clashes with the current state (a stale version, a duplicate, a decided
    proposal); ``details`` say what the state is now."""

    status = 409
    code = "conflict"


class TooManyRequests(ChildsafeError):
    """Too many failed attempts; ``details["retry_after"]`` is in whole seconds."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, **details: Any) -> None:
        super().__init__(message, retry_after=retry_after, **details)
        self.retry_after = retry_after


class DatabaseBusy(ChildsafeError):
    """The database could not take a write in time (SQLite has one writer; a large import
    holds it); ``details["retry_after"]`` is in whole seconds."""

    status = 503
    code = "busy"

    def __init__(self, message: str, *, retry_after: int, **details: Any) -> None:
        super().__init__(message, retry_after=retry_after, **details)
        self.retry_after = retry_after


class DatabaseUnavailable(ChildsafeError):
    """The database cannot be reached at all."""

    status = 503
    code = "unavailable"
