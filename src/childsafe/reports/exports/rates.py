"""Exchange rates to an FIU's currency, as the API, the CLI and the site page take them:
``USD:3.6725`` pairs (the service checks each rate is a positive number when a purchase needs
it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from childsafe.kernel.errors import InvalidValue

_PAIR: Final = re.compile(r"([A-Za-z]{3}):(\d+(?:\.\d+)?)")


def parse_rates(pairs: Iterable[str]) -> dict[str, str]:
    """Rates by currency code (upper case); a malformed pair is refused by name, never skipped."""
    rates: dict[str, str] = {}
    for pair in pairs:
        found = _PAIR.fullmatch(pair.strip())
        if found is None:
            raise InvalidValue(
                f"rate {pair!r}: write CURRENCY:RATE, e.g. USD:3.6725", field="rate", value=pair
            )
        rates[found.group(1).upper()] = found.group(2)
    return rates


def split_rates(text: str) -> list[str]:
    """The pairs of a form field: separated by spaces, commas or new lines."""
    return [pair for pair in re.split(r"[\s,;]+", text) if pair]
