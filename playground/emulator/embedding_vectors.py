"""Made-up embeddings that still behave like embeddings.

Each text becomes a bag of features (its words and its character trigrams); every feature is
hashed to a few positions with a sign, and the counts add up there. Texts that share words or
spellings therefore point the same way (higher cosine similarity) and unrelated texts are
nearly orthogonal. The same text always gives the same vector, on every machine.

Gemini's embedding models are Matryoshka-trained: a shorter `dimensions` is the prefix of the
full vector, and only the full-length vector comes back normalised. Each feature here lands
once inside every prefix length listed in `PREFIX_LENGTHS`, so a truncated vector keeps every
feature, and the prefix rule holds exactly. Hashing leaves most numbers at zero, unlike a
real model's; a Walsh-Hadamard transform of each block of 128 numbers spreads every block out.
Each block's transform is orthonormal, so it changes no similarity within any prefix made of
whole blocks.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import struct
from collections import Counter

PREFIX_LENGTHS = (128, 256, 512, 768, 1536, 3072)
WORD = re.compile(r"\w+")
STOP_WORDS = frozenset(
    "a an and are as at be but by do does for from has have how i in is it its of on or so "
    "that the their there this to was were what when where which who why will with you your".split()
)
# Words say more about meaning than spelling does.
BLOCK = 128
BLOCK_SCALE = 1 / math.sqrt(BLOCK)
WORD_WEIGHT = 2.0
TRIGRAM_WEIGHT = 1.0


def text_features(text: str) -> Counter[str]:
    """Content words and their character trigrams; little words would make everything alike."""
    features: Counter[str] = Counter()
    for word in WORD.findall(text.lower()):
        if word in STOP_WORDS:
            continue
        features["w:" + word] += 1
        padded = f" {word} "
        for start in range(len(padded) - 2):
            features["t:" + padded[start : start + 3]] += 1
    if not features:
        # Only little words, or only punctuation: spelling is all there is to go on.
        padded = " " + " ".join(text.lower().split()) + " "
        features.update("t:" + padded[start : start + 3] for start in range(len(padded) - 2))
    return features


def _positions(feature: str, lengths: tuple[int, ...]) -> list[tuple[int, float]]:
    """One (index, sign) inside each prefix length, from one hash of the feature."""
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=3 * len(lengths)).digest()
    positions = []
    for slot, length in enumerate(lengths):
        chunk = int.from_bytes(digest[3 * slot : 3 * slot + 3], "big")
        positions.append((chunk % length, 1.0 if chunk & 0x800000 else -1.0))
    return positions


def full_vector(text: str, size: int) -> list[float]:
    """The model's full-length vector for a text, normalised to length 1."""
    lengths = (*(length for length in PREFIX_LENGTHS if length < size), size)
    vector = [0.0] * size
    for feature, count in text_features(text).items():
        weight = (WORD_WEIGHT if feature.startswith("w:") else TRIGRAM_WEIGHT) * (
            1.0 + math.log(count)
        )
        for index, sign in _positions(feature, lengths):
            vector[index] += sign * weight
    for start in range(0, size - size % BLOCK, BLOCK):
        if any(vector[start : start + BLOCK]):
            vector[start : start + BLOCK] = _spread(vector[start : start + BLOCK])
    norm = math.sqrt(math.sumprod(vector, vector))
    if norm == 0:
        return vector
    return [value / norm for value in vector]


def _spread(block: list[float]) -> list[float]:
    """The orthonormal Walsh-Hadamard transform of a block whose length is a power of two."""
    half = 1
    while half < len(block):
        for start in range(0, len(block), 2 * half):
            for left in range(start, start + half):
                a, b = block[left], block[left + half]
                block[left], block[left + half] = a + b, a - b
        half *= 2
    return [value * BLOCK_SCALE for value in block]


def embedding_vector(text: str, *, size: int, dimensions: int | None = None) -> list[float]:
    """`dimensions` cuts the full vector to its prefix, unnormalised, as Gemini does."""
    vector = full_vector(text, size)
    return vector if dimensions is None else vector[:dimensions]


def as_float32(vector: list[float]) -> bytes:
    return struct.pack(f"<{len(vector)}f", *vector)


def vector_floats(vector: list[float]) -> list[float]:
    """The float32 values, written short: 9 significant digits give the same float32 back."""
    packed = struct.unpack(f"<{len(vector)}f", as_float32(vector))
    return [float(f"{value:.9g}") for value in packed]


def vector_base64(vector: list[float]) -> str:
    """Little-endian float32s in base64: what the openai SDK decodes by default."""
    return base64.b64encode(as_float32(vector)).decode("ascii")
