"""Made-up embeddings that still behave like embeddings.

Each text becomes a bag of features: the stem of each content word ("dogs", "dog's" and "dog"
are one word), the group of common synonyms it belongs to (`related_words`: "cat" and "kitten"
share one), and its character trigrams (spelling, weighed least). Every feature is hashed to a
few positions with a sign, and the weights add up there. Texts that share words, word forms or
synonyms therefore point the same way (higher cosine similarity) and unrelated texts are nearly
orthogonal. The same text always gives the same vector, on every machine. Only the first
`MAX_TEXT_CHARS` of a text count, as Gemini reads only the start of a long one.

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

from playground.emulator.related_words import RELATED_WORD_GROUPS

PREFIX_LENGTHS = (128, 256, 512, 768, 1536, 3072)
# The typewriter and the typographic apostrophe: "dog's" and "dog\u2019s" are one word.
APOSTROPHES = "'\u2019"
WORD = re.compile(rf"\w+(?:[{APOSTROPHES}]\w+)*")
STOP_WORDS = frozenset(
    "a about after all also am an and any are as at be been being but by can could did do does "
    "for from had has have he her him his how i if in into is it its just me my no not of on or "
    "our over she so some than that the their them then there these they this those to up us "
    "very was we were what when where which who why will with would you your".split()
)
# Gemini reads about 2,048 tokens of a text and drops the rest; a few words each, this is more.
MAX_TEXT_CHARS = 10_000
BLOCK = 128
BLOCK_SCALE = 1 / math.sqrt(BLOCK)
# A shared synonym group says most, a shared word a little less (it also shares its group and
# its spelling), spelling least: "companions" and "company" look alike and mean nothing alike.
GROUP_WEIGHT = 3.0
WORD_WEIGHT = 2.0
TRIGRAM_WEIGHT = 0.5
MIN_STEM = 3
VOWELS = frozenset("aeiouy")
# Endings taken off a word, longest first, with what replaces them.
ENDINGS = (
    ("iness", "y"),
    ("ness", ""),
    ("ings", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ily", "y"),
    ("ing", ""),
    ("ed", ""),
    ("ly", ""),
    ("es", ""),
    ("s", ""),
)
SIBILANT_ENDS = ("s", "x", "z", "ch", "sh")
# "running" loses a doubled consonant; "falling", "missed" and "buzzed" keep theirs.
UNDOUBLED_AFTER = ("ing", "ings", "ed")
KEPT_DOUBLES = frozenset("lsz")


def _ending_removed(word: str, ending: str, replacement: str) -> str | None:
    """The word without `ending`, or None where taking it off would not leave a word."""
    stem = word[: -len(ending)]
    if ending == "s" and word.endswith(("ss", "us", "is")):
        return None
    if ending == "es" and not stem.endswith(SIBILANT_ENDS):
        stem = word[:-1]  # "phones" is "phone" + s, "boxes" is "box" + es
    if ending == "ed" and stem.endswith("e"):
        return None  # "need", "speed"
    stem += replacement
    if len(stem) < MIN_STEM or not VOWELS.intersection(stem):
        return None  # "bring", "string", "red"
    if ending in UNDOUBLED_AFTER and stem[-1] == stem[-2] and stem[-1] not in KEPT_DOUBLES:
        stem = stem[:-1]
    return stem


def word_stem(word: str) -> str:
    """A crude stem: plurals, -ing, -ed, -ly, -ness and a final e taken off, so that "walks",
    "walked" and "walking" meet, as do "love", "loved" and "lovely". Not a dictionary."""
    word = word.lower()
    for apostrophe in APOSTROPHES:
        word = word.removesuffix(apostrophe + "s").replace(apostrophe, "")
    if len(word) <= MIN_STEM:
        return word
    for ending, replacement in ENDINGS:
        if word.endswith(ending) and (stem := _ending_removed(word, ending, replacement)):
            word = stem
            break
    if len(word) > MIN_STEM and word.endswith("e"):
        word = word[:-1]
    if len(word) > MIN_STEM and word.endswith("i"):
        word = word[:-1] + "y"  # "happi" from "happiest" meets "happy"
    return word


def _groups_by_stem() -> dict[str, tuple[int, ...]]:
    groups: dict[str, list[int]] = {}
    for number, group in enumerate(RELATED_WORD_GROUPS):
        for word in group:
            groups.setdefault(word_stem(word), []).append(number)
    return {stem: tuple(dict.fromkeys(numbers)) for stem, numbers in groups.items()}


GROUPS_BY_STEM = _groups_by_stem()


def _trigrams(word: str) -> list[str]:
    padded = f" {word} "
    return ["t:" + padded[start : start + 3] for start in range(len(padded) - 2)]


def text_features(text: str) -> Counter[str]:
    """Content words' stems, their synonym groups and their trigrams; little words would make
    everything alike."""
    text = text[:MAX_TEXT_CHARS].lower()
    features: Counter[str] = Counter()
    for match in WORD.finditer(text):
        word = match.group()
        if word in STOP_WORDS:
            continue
        stem = word_stem(word)
        features["w:" + stem] += 1
        features.update(f"g:{number}" for number in GROUPS_BY_STEM.get(stem, ()))
        features.update(_trigrams(word))
    if not features:
        # Only little words, or only punctuation: spelling is all there is to go on.
        features.update(_trigrams(" ".join(text.split())))
    return features


FEATURE_WEIGHTS = {"g": GROUP_WEIGHT, "w": WORD_WEIGHT, "t": TRIGRAM_WEIGHT}


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
        weight = FEATURE_WEIGHTS[feature[0]] * (1.0 + math.log(count))
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
