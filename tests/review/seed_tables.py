"""The seed's three tables, typed in from shared/seed/icmec-deck.txt: our acceptance data.

``ü`` is the deck's check mark (criterion met), ``û`` its cross (not met).
"""

from __future__ import annotations

ASEAN_8TH = {
    "BRN": "üüüüûû",
    "KHM": "üüüûûû",
    "IDN": "üûüüûû",
    "LAO": "üûüûüû",
    "MYS": "üûûûûû",
    "MMR": "üûüûûû",
    "PHL": "üüüüüü",
    "SGP": "üûüûûû",
    "THA": "üûüüûü",
    "VNM": "üûûûûû",
}

RESULTS_8TH = {
    "sufficient": 82,
    "all_five": 11,
    "sufficient_without_isp": 71,
    "no_legislation": 35,
    "data_retention": 79,
    "not_defined": 60,
    "no_computer_offenses": 26,
    "no_possession": 50,
}

COMPARATIVE = {
    "sufficient": {"1": 27, "7": 69, "8": 82},
    "all_five": {"1": 5, "7": 11, "8": 11},
    "sufficient_without_isp": {"1": 22, "7": 58, "8": 71},
    "no_legislation": {"1": 95, "7": 53, "8": 35},
    "not_defined": {"1": 54, "7": 60, "8": 60},
    "no_computer_offenses": {"1": 27, "7": 21, "8": 26},
    "no_possession": {"1": 41, "7": 47, "8": 50},
}


def mark_value(mark: str) -> str:
    return {"ü": "yes", "û": "no"}[mark]
