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

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None) -> None:
        """An error declares its status and code in its class line (``class NotFound(
        ChildsafeError, status=404, code="not_found")``), or as class attributes."""
        super().__init_subclass__()
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

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


class NotFound(ChildsafeError, status=404, code="not_found"):
    """What was asked for does not exist (a jurisdiction, a user, a case)."""


class InvalidValue(ChildsafeError, status=422, code="invalid_value"):
    """A value that cannot be cleaned into its type (a criterion value, a code, a date)."""


class RuleSyntaxError(ChildsafeError, status=422, code="rule_syntax"):
    """A classification rule that does not parse; ``position`` is the 0-based offset."""

    def __init__(self, message: str, *, rule: str, position: int) -> None:
        super().__init__(
            f"{message} at position {position} in rule {rule!r}", rule=rule, position=position
        )
        self.position = position


class FrameworkError(ChildsafeError, status=500, code="framework_error"):
    """A shipped or user-supplied framework/data file that is inconsistent."""


class ImportProblem(ChildsafeError, status=422, code="import_error"):
    """One bad cell of an import file, located precisely."""

    def __init__(self, message: str, *, file: str, line: int, column: str, value: str) -> None:
        super().__init__(
            f"{file}:{line}: column {column!r}, value {value!r}: {message}",
            file=file,
            line=line,
            column=column,
            value=value,
            reason=message,
        )


class ImportRejected(ChildsafeError, status=422, code="import_rejected"):
    """An import refused as a whole; ``problems`` lists every bad cell (nothing was written)."""

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


class FileProblems:
    """The problems found in one import file, collected rather than raised one by one, so
    that the refusal names them all."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[ImportProblem] = []

    def add(self, line: int, column: str, value: str, message: str) -> None:
        self.found.append(
            ImportProblem(message, file=self.file, line=line, column=column, value=value)
        )

    def reject(self) -> None:
        """``ImportRejected`` with every problem found, if there is any."""
        if self.found:
            raise ImportRejected(self.file, self.found)


class ConfigurationError(ChildsafeError, status=500, code="configuration_error"):
    """The installation's settings or files do not allow the operation."""


class ImportFailed(ChildsafeError, status=500, code="import_failed"):
    """An import stopped for a reason other than its content (the validating process died);
    nothing was written."""


class Unauthenticated(ChildsafeError, status=401, code="unauthenticated"):
    """No valid session, or a login that failed (the same error whatever the reason)."""


class Forbidden(ChildsafeError, status=403, code="forbidden"):
    """Signed in, but this role (or this person, e.g. approving their own proposal) may not."""


class Conflict(ChildsafeError, status=409, code="conflict"):
    """The request clashes with the current state (a stale version, a duplicate, a decided
    proposal); ``details`` say what the state is now."""


class RetryLater(ChildsafeError):
    """An error that says when to try again: ``details["retry_after"]``, in whole seconds."""

    def __init__(self, message: str, *, retry_after: int, **details: Any) -> None:
        super().__init__(message, retry_after=retry_after, **details)
        self.retry_after = retry_after


class TooManyRequests(RetryLater, status=429, code="rate_limited"):
    """Too many failed attempts; ``details["retry_after"]`` is in whole seconds."""


class DatabaseBusy(RetryLater, status=503, code="busy"):
    """The database could not take a write in time (SQLite has one writer; a large import
    holds it); ``details["retry_after"]`` is in whole seconds."""


class DatabaseUnavailable(ChildsafeError, status=503, code="unavailable"):
    """The database cannot be reached at all."""
