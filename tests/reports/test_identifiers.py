"""Payment identifiers and the no-imagery rule, on their own.

Every identifier is synthetic: card numbers are the issuers' published test numbers, IBANs and
wallet addresses are computed here from made-up digits and bytes (they hold no funds).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import bitcoin as stdnum_bitcoin
from stdnum.exceptions import ValidationError

from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.text import refuse_media
from childsafe.reports.model import identifiers
from tests.reports import addresses


def iban(country: str, bban: str) -> str:
    """A valid IBAN for a made-up BBAN: the check digits computed by mod-97."""
    number = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


def luhn_complete(prefix: str) -> str:
    for digit in "0123456789":
        if identifiers.luhn_ok(prefix + digit):
            return prefix + digit
    raise AssertionError("unreachable")


BTC_P2PKH = addresses.base58check_encode(bytes([0x00]) + bytes(range(20)))
BTC_P2SH = addresses.base58check_encode(bytes([0x05]) + bytes(range(1, 21)))
TRON = addresses.base58check_encode(bytes([0x41]) + bytes(range(2, 22)))
BECH32_V0 = addresses.bech32_encode("bc", [0, *[i % 32 for i in range(32)]])
BECH32M_V1 = addresses.bech32_encode("bc", [1, *[(i * 7) % 32 for i in range(52)]])
ETH = "0x" + "ab" * 20
WALLETS = [BTC_P2PKH, BTC_P2SH, TRON, BECH32_V0, BECH32M_V1, ETH]
IBANS = [
    iban("GB", "WEST12345698765432"),
    iban("DE", "370400440532013000"),
    iban("NL", "ABNA0417164300"),
]


MEDIA = [
    "see data:image/png;base64,iVBORw0KGgo=",
    "DATA:video/mp4;base64,AAAA",
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB",  # PNG
    "/9j/4AAQSkZJRgABAQEASABIAAD",  # JPEG
    "R0lGODlhAQABAIAAAP///wAAACw=",  # GIF
    "AAAAIGZ0eXBpc29tAAACAGlzb21pc28y",  # MP4
    "UklGRiQAAABXRUJQVlA4IBgAAAAw",  # WebP
    "GkXfo59ChoEBQveBAULygQRC84EI",  # Matroska/WebM
    "ffd8ffe000104a46494600010101",  # JPEG as hex
    "ÿØÿà JFIF",  # JPEG bytes read as Latin-1
]


@given(st.integers(13, 19).flatmap(lambda n: st.text("0123456789", min_size=n - 1, max_size=n - 1)))
def test_luhn_valid_numbers_are_found_and_masked(prefix: str) -> None:
    pan = luhn_complete(prefix)
    spaced = " ".join(pan[i : i + 4] for i in range(0, len(pan), 4))
    assert identifiers.find_card_number(f"card {pan}, thanks") == f"{pan[:6]}…{pan[-4:]}"
    for text in (f"card {spaced}, thanks", f"1234 {spaced}"):  # a Luhn-valid window is found
        assert identifiers.find_card_number(text) is not None


def test_numbers_that_are_not_card_numbers() -> None:
    assert identifiers.find_card_number("4111111111111112") is None  # fails Luhn
    assert identifiers.find_card_number("order 411111111111") is None  # 12 digits
    assert identifiers.find_card_number("41111111111111111111") is None  # 20 digits
    assert identifiers.find_card_number("last four 1111") is None


@given(
    st.sampled_from(["GB", "DE", "FR", "NL", "AE"]),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=11, max_size=30),
    st.data(),
)
def test_iban_checksum(country: str, bban: str, data: st.DataObject) -> None:
    valid = iban(country, bban)
    assert identifiers.clean_iban(valid) == valid
    assert (
        identifiers.clean_iban(" ".join(valid[i : i + 4] for i in range(0, len(valid), 4))) == valid
    )
    position = data.draw(st.integers(2, len(valid) - 1))
    original = valid[position]
    if original.isdigit():  # mod-97 catches every single-digit substitution
        replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != original]))
        broken = valid[:position] + replacement + valid[position + 1 :]
        with pytest.raises(InvalidValue, match="check digits are wrong"):
            identifiers.clean_iban(broken)


@pytest.mark.parametrize(
    "text", ["GB82", "GB82 WEST", "1234567890123456", "GB82WEST1234569876543*"]
)
def test_not_ibans(text: str) -> None:
    with pytest.raises(InvalidValue, match="not an IBAN"):
        identifiers.clean_iban(text)


@pytest.mark.parametrize("address", WALLETS)
def test_wallet_addresses_with_valid_checksums(address: str) -> None:
    assert identifiers.clean_wallet(address) in (address, address.lower())
    assert identifiers.clean_wallet(f"  {address} ") in (address, address.lower())


def test_bech32_upper_case_and_ethereum_case_meet() -> None:
    assert identifiers.clean_wallet(BECH32_V0.upper()) == BECH32_V0
    assert identifiers.clean_wallet(ETH.upper().replace("0X", "0x")) == ETH


@pytest.mark.parametrize(
    "address",
    [
        BTC_P2PKH[:-1] + ("a" if BTC_P2PKH[-1] != "a" else "b"),
        TRON[:-1] + ("a" if TRON[-1] != "a" else "b"),
        BECH32_V0[:-1] + ("q" if BECH32_V0[-1] != "q" else "p"),
        BECH32M_V1[:-1] + ("q" if BECH32M_V1[-1] != "q" else "p"),
        BECH32_V0[:10] + BECH32_V0[10:].upper(),  # mixed case
        addresses.base58check_encode(bytes([0x6F]) + bytes(20)),  # an unsupported version
        "0x1234",
        "not a wallet",
    ],
)
def test_bad_wallet_addresses(address: str) -> None:
    with pytest.raises(InvalidValue, match="not a recognised wallet address"):
        identifiers.clean_wallet(address)


@pytest.mark.parametrize("text", MEDIA)
def test_image_and_video_data_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue, match="metadata only"):
        refuse_media(text)


def test_long_runs_of_encoded_data_are_refused() -> None:
    with pytest.raises(InvalidValue, match="base64-like"):
        refuse_media("blob " + "QUJD" * 300)


def test_hashes_urls_and_wallets_are_not_mistaken_for_imagery() -> None:
    refuse_media(
        f"sha256 {'ab12' * 16} md5 {'0f' * 16} wallets {' '.join(WALLETS)} "
        "http://example.org/images/photo-of-the-shop-front.jpg"
    )


@given(st.sampled_from([0x00, 0x05]), st.binary(min_size=20, max_size=20), st.data())
def test_bitcoin_addresses_agree_with_stdnum(
    version: int, digest: bytes, data: st.DataObject
) -> None:
    """Where stdnum's own Bitcoin check applies (mainnet Base58Check), it and ours agree, on
    valid addresses and on ones with one character changed."""
    address = addresses.base58check_encode(bytes([version]) + digest)
    position = data.draw(st.integers(1, len(address) - 1))
    changed = (
        address[:position] + ("2" if address[position] != "2" else "3") + address[position + 1 :]
    )
    for candidate in (address, changed):
        try:
            stdnum_bitcoin.validate(candidate)
            theirs = True
        except ValidationError:
            theirs = False
        try:
            identifiers.clean_wallet(candidate)
            ours = True
        except InvalidValue:
            ours = False
        assert ours == theirs
