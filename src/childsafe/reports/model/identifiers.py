"""Checks on what a report may carry: payment identifiers cleaned (IBAN mod-97, wallet address
checksums), full card numbers refused.

The check digits come from python-stdnum (Luhn, the IBAN's mod-97,
Base58 and the bech32 polymod); stdnum's own ``bitcoin.validate`` is not enough on its own: it
knows Bitcoin mainnet only and not bech32m, and reports also name Litecoin and Tron addresses.

Reports hold metadata only. A card number (PAN) is sensitive payment data that the platform
must not hold: a report names the brand and a descriptor instead. Image or video data in text is
refused by the text policy every module shares (``childsafe.kernel.text.refuse_media``).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Final

from stdnum import bitcoin, luhn
from stdnum.iso7064 import mod_97_10

from childsafe.kernel.errors import InvalidValue

# -- card numbers ----------------------------------------------------------------------------

_DIGIT_RUN: Final = re.compile(r"\d(?:[ -]?\d)*", re.ASCII)


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check every payment card number passes."""
    return bool(luhn.is_valid(digits))


def find_card_number(text: str) -> str | None:
    """A masked card number found in ``text`` (13-19 digits, spaces or dashes allowed between
    groups, passing Luhn), or None. Masked so that error messages never repeat a PAN."""
    for run in _DIGIT_RUN.finditer(text):
        groups = re.split(r"[ -]", run.group())
        for start in range(len(groups)):
            digits = ""
            for group in groups[start:]:
                digits += group
                if len(digits) > 19:
                    break
                if len(digits) >= 13 and luhn_ok(digits):
                    return mask_card_number(digits)
    return None


def mask_card_number(digits: str) -> str:
    """``411111…1111``: the issuer prefix and last four, as receipts show them."""
    return f"{digits[:6]}…{digits[-4:]}"


def refuse_card_number(text: str) -> None:
    found = find_card_number(text)
    if found is not None:
        raise InvalidValue(
            f"looks like a full card number ({found}, passes the Luhn check); reports keep the "
            "card brand and a descriptor or the last four digits, never the full number",
            value=found,
        )


# -- IBAN ------------------------------------------------------------------------------------

_IBAN: Final = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_IBAN_START: Final = re.compile(r"^[A-Za-z]{2}[0-9]{2}")


def looks_like_iban(text: str) -> bool:
    """Two letters then two digits: written as an IBAN, so it must be a valid one."""
    return bool(_IBAN_START.match(text.strip()))


def clean_iban(text: str) -> str:
    """The IBAN in its electronic form (no spaces, upper case) if its mod-97 check holds."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if not _IBAN.match(compact):
        raise InvalidValue(
            f"{text!r} is not an IBAN (country code, 2 check digits, 11-30 letters or digits)",
            value=text,
        )
    # The ISO 7064 check digits only, not stdnum.iban's registry formats: a report names the
    # account as the reporter saw it, and the registry's BBAN formats change between releases.
    if not mod_97_10.is_valid(compact[4:] + compact[:4]):
        raise InvalidValue(f"{text!r}: the IBAN check digits are wrong (mod-97)", value=text)
    return compact


# -- wallet addresses ------------------------------------------------------------------------

_BASE58: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32: Final = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32M_CONSTANT: Final = 0x2BC830A3  # BIP 350: witness v1+ addresses use bech32m
_BECH32_HRPS: Final = {"bc": "Bitcoin", "tb": "Bitcoin testnet", "ltc": "Litecoin"}
# Base58Check version byte -> chain (21-byte payloads: version + 20-byte hash).
_BASE58_VERSIONS: Final = {0x00: "Bitcoin", 0x05: "Bitcoin", 0x30: "Litecoin", 0x32: "Litecoin"}
_BASE58_VERSIONS_TRON: Final = 0x41
_ETHEREUM: Final = re.compile(r"^0x[0-9a-fA-F]{40}$")
_MONERO: Final = re.compile(rf"^[48][{_BASE58}]{{94}}(?:[{_BASE58}]{{11}})?$")
SUPPORTED_WALLETS: Final = (
    "Bitcoin and Litecoin (Base58Check or bech32/bech32m), Tron (Base58Check), "
    "Ethereum-style 0x addresses, Monero"
)


def clean_wallet(text: str) -> str:
    """A wallet address with a verified checksum where the standard library allows it.

    Ethereum (EIP-55) and Monero checksums need Keccak-256, which ``hashlib`` lacks: their
    format is checked and Ethereum addresses are lower-cased so that spellings meet.
    """
    address = text.strip()
    if _ETHEREUM.match(address):
        return address.lower()
    if _MONERO.match(address):
        return address
    if _bech32_ok(address):
        return address.lower()
    if _base58check_version(address) is not None:
        return address
    raise InvalidValue(
        f"{text!r} is not a recognised wallet address with a valid checksum; "
        f"supported: {SUPPORTED_WALLETS}",
        value=text,
    )


def cached_clean_wallet(text: str) -> str:
    """:func:`clean_wallet`, remembered: checksums cost tens of microseconds, and a bulk file
    names the same wallets again and again."""
    cleaned, problem = _wallet_outcome(text)
    if problem is not None:
        raise InvalidValue(problem, value=text)
    return cleaned


@lru_cache(maxsize=16384)
def _wallet_outcome(text: str) -> tuple[str, str | None]:
    try:
        return clean_wallet(text), None
    except InvalidValue as exc:
        return "", exc.message


def bech32_values(hrp: str) -> list[int]:
    """The human-readable part expanded for the checksum (BIP 173)."""
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _bech32_ok(address: str) -> bool:
    """BIP 173 (witness v0, bech32) and BIP 350 (v1+, bech32m) checksums."""
    if address.lower() != address and address.upper() != address:
        return False
    hrp, _, data = address.lower().rpartition("1")
    if hrp not in _BECH32_HRPS or not 14 <= len(data) <= 74:
        return False
    if any(c not in _BECH32 for c in data):
        return False
    values = [_BECH32.index(c) for c in data]
    constant = 1 if values[0] == 0 else BECH32M_CONSTANT
    return bool(bitcoin.bech32_checksum(bech32_values(hrp) + values) == constant)


def _base58check_version(address: str) -> int | None:
    if not 25 <= len(address) <= 35 or any(c not in _BASE58 for c in address):
        return None
    raw = bitcoin.b58decode(address)
    payload, checksum = raw[:-4], raw[-4:]
    if len(payload) != 21 or hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != (
        checksum
    ):
        return None
    version = payload[0]
    return version if version in _BASE58_VERSIONS or version == _BASE58_VERSIONS_TRON else None
