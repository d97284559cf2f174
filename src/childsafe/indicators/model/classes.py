"""Class breaks for a choropleth map, and the colour scale they are drawn in.

Quantile classes: each holds about as many jurisdictions, so a few very large counts do not
leave the rest of the world one colour. The scale is ColorBrewer's sequential YlGnBu (5
classes), which ColorBrewer marks safe for colour-blind readers; light means low, dark high."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from statistics import quantiles
from typing import Final

CLASSES: Final = 5
PALETTE: Final = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")


def class_breaks(values: Sequence[float], classes: int = CLASSES) -> list[float]:
    """The upper bounds of classes 1..k-1 (sorted, distinct): quantiles of ``values``."""
    if len(set(values)) < 2:
        return []
    cuts = quantiles(sorted(values), n=classes, method="inclusive")
    return sorted(set(cuts))


def class_of(value: float, breaks: Sequence[float]) -> int:
    """1 for values up to the first break, ... len(breaks) + 1 above the last."""
    return bisect_left(breaks, value) + 1


def box(values: Sequence[float]) -> dict[str, float] | None:
    """Minimum, quartiles, median and maximum (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        q1 = median = q3 = ordered[0]
    else:
        q1, median, q3 = quantiles(ordered, n=4, method="inclusive")
    return {"min": ordered[0], "q1": q1, "median": median, "q3": q3, "max": ordered[-1]}
