"""Thought signatures on function calls: made so the emulator can tell later which call each
one came on, as Gemini can with its own (encrypted) ones.

A signature is opaque base64, like Gemini's. Inside: a marker, a digest of the call's name
and arguments, and filler derived from the request. Arguments are compared as parsed JSON, so
a client that re-serialises them (spaces, key order) still passes; moving a signature to
another call does not.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

from playground.emulator.json_body import json_read

MARKER = b"\x12\x8aemu1"
DIGEST_BYTES = 16
FILLER_BYTES = 72
# Google documents these stand-ins for calls that never had a signature (history written by
# another model); Gemini lets them pass.
DUMMY_SIGNATURES = frozenset(
    {"skip_thought_signature_validator", "context_engineering_is_the_way_to_go"}
)


def _call_digest(name: str, arguments: str) -> bytes:
    try:
        parsed = json_read(arguments) if arguments.strip() else {}
        canonical = json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        canonical = arguments
    return hashlib.sha256(f"{name}\n{canonical}".encode()).digest()[:DIGEST_BYTES]


def call_signature(name: str, arguments: str, *, seed: str) -> str:
    filler = hashlib.shake_256(f"call-signature:{seed}".encode()).digest(FILLER_BYTES)
    return base64.b64encode(MARKER + _call_digest(name, arguments) + filler).decode("ascii")


def signature_fits(signature: str, name: str, arguments: str) -> bool:
    """Whether `signature` is one the emulator made for this very call."""
    if signature in DUMMY_SIGNATURES:
        return True
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return False
    start = len(MARKER)
    return raw.startswith(MARKER) and raw[start : start + DIGEST_BYTES] == _call_digest(
        name, arguments
    )
