from __future__ import annotations

import base64
import uuid
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.badges import (
    PREFIX,
    BadgeError,
    BadgeProblem,
    check_badge,
    issue_token,
    parse_token,
)
from kiosk.core.keys import key_id_of, public_raw

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def signer() -> tuple[Ed25519PrivateKey, str, dict[str, bytes]]:
    key = Ed25519PrivateKey.generate()
    kid = key_id_of(public_raw(key))
    return key, kid, {kid: public_raw(key)}


def test_token_round_trip_carries_only_ids(signer) -> None:
    key, kid, ring = signer
    person = str(uuid.uuid4())
    token = issue_token(key, kid, person, 7, TODAY, date(2027, 12, 31))
    assert token.startswith(PREFIX) and len(token) == 160
    # Alphanumeric QR mode: upper case letters, digits and ':' only.
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567YZ1:")
    check = check_badge(token, ring, TODAY)
    assert check.key_known
    assert (check.token.person_id, check.token.serial) == (person, 7)
    assert check.token.expires_on == date(2027, 12, 31)


def test_lower_case_token_from_caps_lock_scanner_is_accepted(signer) -> None:
    key, kid, ring = signer
    token = issue_token(key, kid, str(uuid.uuid4()), 1, TODAY)
    assert check_badge(token.lower(), ring, TODAY).key_known


def test_tampered_token_fails_signature(signer) -> None:
    key, kid, ring = signer
    token = issue_token(key, kid, str(uuid.uuid4()), 1, TODAY)
    raw = bytearray(base64.b32decode(token[4:] + "===="))
    raw[30] ^= 0x01  # flip a bit of the serial
    forged = PREFIX + base64.b32encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(BadgeError) as err:
        check_badge(forged, ring, TODAY)
    assert err.value.problem is BadgeProblem.BAD_SIGNATURE


def test_token_signed_by_another_key_claiming_ours_is_forged(signer) -> None:
    _, kid, ring = signer
    attacker = Ed25519PrivateKey.generate()
    forged = issue_token(attacker, kid, str(uuid.uuid4()), 1, TODAY)
    with pytest.raises(BadgeError) as err:
        check_badge(forged, ring, TODAY)
    assert err.value.problem is BadgeProblem.BAD_SIGNATURE


def test_unknown_key_is_structurally_valid_but_unverified(signer) -> None:
    other = Ed25519PrivateKey.generate()
    token = issue_token(other, key_id_of(public_raw(other)), str(uuid.uuid4()), 1, TODAY)
    assert check_badge(token, signer[2], TODAY).key_known is False


def test_expired_badge_is_refused(signer) -> None:
    key, kid, ring = signer
    token = issue_token(key, kid, str(uuid.uuid4()), 1, date(2025, 1, 1), date(2026, 11, 27))
    with pytest.raises(BadgeError) as err:
        check_badge(token, ring, TODAY)
    assert err.value.problem is BadgeProblem.EXPIRED
    assert check_badge(token, ring, date(2026, 11, 27)).key_known  # valid through its last day


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("https://example.com/pay?id=1", BadgeProblem.NOT_A_BADGE),
        ("wxp://f2f0abcdef", BadgeProblem.NOT_A_BADGE),
        ("", BadgeProblem.NOT_A_BADGE),
        ("x" * 4096, BadgeProblem.NOT_A_BADGE),
        ("YZ1:" + "A" * 4000, BadgeProblem.NOT_A_BADGE),
        ("YZ1:SHORT", BadgeProblem.MALFORMED),
        ("YZ1:" + "1" * 156, BadgeProblem.MALFORMED),  # '1' is not base32
        ("YZ2:" + "A" * 156, BadgeProblem.MALFORMED),
    ],
)
def test_non_badges_are_refused_with_a_reason(text: str, problem: BadgeProblem) -> None:
    with pytest.raises(BadgeError) as err:
        parse_token(text)
    assert err.value.problem is problem


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_random_text_never_passes_and_never_crashes(signer, text: str) -> None:
    with pytest.raises(BadgeError):
        check_badge(text, signer[2], TODAY)


@settings(max_examples=600, deadline=None)
@given(st.binary(min_size=97, max_size=97))
def test_random_well_formed_tokens_fail_the_signature(signer, raw: bytes) -> None:
    body = bytes([1]) + bytes.fromhex(signer[1]) + raw[9:]
    text = PREFIX + base64.b32encode(body).decode().rstrip("=")
    with pytest.raises(BadgeError) as err:
        check_badge(text, signer[2], TODAY)
    assert err.value.problem in {BadgeProblem.BAD_SIGNATURE, BadgeProblem.MALFORMED}


def test_a_badge_has_one_spelling_up_to_letter_case(signer) -> None:
    """The last base32 character carries 1 bit of the signature and 4 unused bits: 16
    characters would decode to the same bytes. Only the canonical one (unused bits zero) is
    a badge, so a token differing from a real one in any character but its case is not."""
    key, kid, _ = signer
    token = issue_token(key, kid, str(uuid.uuid4()), 1, TODAY)
    same_bytes = [
        token[:-1] + c
        for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        if c != token[-1]
        and base64.b32decode(token[4:-1] + c + "====") == base64.b32decode(token[4:] + "====")
    ]
    assert len(same_bytes) == 15  # what plain base32 decoding would accept
    for variant in same_bytes:
        with pytest.raises(BadgeError) as err:
            parse_token(variant)
        assert err.value.problem is BadgeProblem.MALFORMED
    assert parse_token(token.lower()).text == token  # case only: the same badge
