"""A document: what a service returns and the CLI prints or the API serves as JSON."""

from __future__ import annotations

from typing import Any

Document = dict[str, Any]
