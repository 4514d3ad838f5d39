from __future__ import annotations

import json

import pytest

from kiosk.core.admin_pin import DEFAULT_PIN, PinError, PinStore, hash_pin, verify_pin


def test_hash_is_salted_and_verifies():
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a["salt"] != b["salt"] and a["hash"] != b["hash"]
    assert verify_pin("2468", a) and not verify_pin("2469", a)


def test_rejects_non_digit_pins():
    with pytest.raises(PinError):
        hash_pin("12a4")


def test_store_uses_default_until_set_and_never_stores_the_pin(tmp_path):
    store = PinStore.in_dir(tmp_path)
    assert store.is_default() and store.check(DEFAULT_PIN)
    store.set("97531")
    assert not store.check(DEFAULT_PIN) and store.check("97531")
    assert "97531" not in store.path.read_text()
    assert json.loads(store.path.read_text())["algo"] == "scrypt"


def test_corrupt_file_refuses_every_pin(tmp_path):
    store = PinStore.in_dir(tmp_path)
    store.path.write_text("{not json")
    assert not store.check(DEFAULT_PIN)
