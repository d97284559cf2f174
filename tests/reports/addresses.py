"""Encoders that build synthetic wallet addresses for tests (the package only checks them)."""

from __future__ import annotations

import hashlib

from stdnum import bitcoin

from childsafe.reports.model.identifiers import BECH32M_CONSTANT, bech32_values

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def base58check_encode(payload: bytes) -> str:
    """Base58Check text of ``payload``."""
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(raw, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = _BASE58[digit] + text
    return "1" * (len(raw) - len(raw.lstrip(b"\x00"))) + text


def bech32_encode(hrp: str, values: list[int]) -> str:
    """A bech32 (witness v0) or bech32m (v1+) address of 5-bit ``values``."""
    constant = 1 if values[0] == 0 else BECH32M_CONSTANT
    polymod = bitcoin.bech32_checksum([*bech32_values(hrp), *values, 0, 0, 0, 0, 0, 0]) ^ constant
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32[v] for v in [*values, *checksum])
