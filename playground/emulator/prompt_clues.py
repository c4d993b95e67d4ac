"""What a made-up tool call or JSON reply can borrow from the prompt: names, dates, numbers.

A real model reads the question and fills arguments from it; the emulator imitates that with
a few plain rules, so "What's the weather in Seoul and Oslo?" gives two calls, one per city,
and "John and Susan meet on Friday" gives participants ["John", "Susan"] and date "Friday".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Function words: never a name, never a sign of which tool fits.
STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers him his how i if in into is it its
    just let like may me might more most my no nor not now of off on once only or other our
    out over own please same she should so some such than that the their them then there
    these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours what's where's who's how's
    it's i'm let's hi hello hey thanks thank ok okay yes""".split()
)
# Capitalised words that open a sentence rather than name something.
OPENING_WORDS = STOP_WORDS | frozenset(
    """tell show give get find check look search list compare calculate compute convert book
    send create make write translate summarize summarise explain describe remind schedule
    add set call weather time today tomorrow tonight yesterday""".split()
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january february march april may june july august september october november december"
).split()
RELATIVE_DAYS = ("today", "tomorrow", "tonight", "yesterday", "next week", "this weekend")
DATE_WORDS = frozenset((*WEEKDAYS, *MONTHS, "today", "tomorrow", "tonight", "yesterday"))

WORD = re.compile(r"[A-Za-z][\w'\u2019.-]*[\w]|[A-Za-z]")
TITLE_RUN = re.compile(
    r"\b[A-Z][a-z][\w'\u2019-]*(?:\s+[A-Z][a-z][\w'\u2019-]*)*(?:,\s[A-Z]{2}\b)?"
)
ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
MONTH_DAY = re.compile(
    r"\b(?:" + "|".join(m.capitalize() for m in MONTHS) + r")\s+\d{1,2}(?:st|nd|rd|th)?\b"
)
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]*\d)")
# Operators include the multiplication and division signs (U+00D7, U+00F7).
EXPRESSION = re.compile(r"[-+*/^\u00d7\u00f7%().\d\s]{3,}")
OPERATOR = re.compile(r"\d\s*[-+*/^\u00d7\u00f7%]\s*\(*\s*-?\d")
QUOTED = re.compile(r"[\"“]([^\"”]{1,200})[\"”]")
ARTICLE_PHRASE = re.compile(r"\b(?:a|an|the|my|our|some)\s+((?:[\w'-]+\s+){0,3}[\w'-]+)", re.I)
PLACE_AFTER = re.compile(r"\b(?:in|at|near|from|to)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)", re.I)


@dataclass(frozen=True, slots=True)
class PromptClues:
    question: str  # the last user message, on one line
    names: tuple[str, ...] = ()  # proper names in order: places and people
    dates: tuple[str, ...] = ()  # "Friday", "2025-03-01", "tomorrow", "March 3"
    numbers: tuple[int | float, ...] = ()
    expression: str = ""  # an arithmetic expression, such as "12 * (3 + 4)"
    quoted: tuple[str, ...] = ()
    phrase: str = ""  # the first noun phrase after an article: "AI conference"
    place: str = ""  # words after "in"/"at"/... when nothing is capitalised
    words: frozenset[str] = frozenset()  # lower-cased words, for matching enums and tools

    def mentions(self, value: str) -> bool:
        """Whether the prompt uses `value` as a word (case does not matter)."""
        text = value.strip().lower()
        if not text:
            return False
        if " " in text:
            return text in self.question.lower()
        return text in self.words


def _phrase_words(text: str) -> list[str]:
    """Leading words of `text` up to the first common word or punctuation."""
    kept = []
    for word in text.split():
        bare = word.strip(".,;:!?\"'()")
        if not bare or bare.lower() in STOP_WORDS or bare.lower() in DATE_WORDS:
            break
        kept.append(bare)
        if bare != word:
            break
    return kept


def _opens_sentence(text: str, offset: int) -> bool:
    return not text[:offset].strip() or text[:offset].rstrip()[-1] in ".!?:;"


def _lists_on(text: str, match: re.Match[str]) -> bool:
    """Whether a name list goes on after the match ("Seoul and Oslo", "Paris, Rome")."""
    rest = text[match.end() :]
    return rest.strip() == "" or bool(re.match(r"\s*(?:,|and\b|or\b|&)", rest))


def _names(question: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for match in TITLE_RUN.finditer(question):
        words = match.group(0).split()
        # Drop sentence-opening words ("What", "Tell") and date words ("Friday").
        while words and (
            words[0].lower().rstrip(",") in OPENING_WORDS
            or words[0].lower().rstrip(",") in DATE_WORDS
        ):
            words.pop(0)
        words = [w for w in words if w.lower().rstrip(",") not in WEEKDAYS]
        if not words:
            continue
        offset = match.start() + match.group(0).find(words[0])
        if len(words) == 1 and _opens_sentence(question, offset) and not _lists_on(question, match):
            continue  # "Flights from NYC": a capital that only starts the sentence
        found.append((offset, " ".join(words)))
    for match in ACRONYM.finditer(question):
        following = question[match.end() :].split(maxsplit=1)
        next_word = following[0].strip(".,;:!?") if following else ""
        # "AI conference" is a kind of conference; "NYC today" and "USA and UK" are names.
        if next_word and next_word.islower() and next_word not in OPENING_WORDS:
            continue
        found.append((match.start(), match.group(0)))
    names: list[str] = []
    for _, name in sorted(found):
        if name not in names:
            names.append(name)
    return names


def _dates(question: str) -> list[str]:
    found: list[tuple[int, str]] = [(m.start(), m.group(0)) for m in ISO_DATE.finditer(question)]
    found += [(m.start(), m.group(0)) for m in MONTH_DAY.finditer(question)]
    lower = question.lower()
    for word in (*WEEKDAYS, *RELATIVE_DAYS):
        if (match := re.search(rf"\b{word}\b", lower)) is not None:
            shown = question[match.start() : match.end()]
            found.append((match.start(), shown.capitalize() if word in WEEKDAYS else shown))
    return [text for _, text in sorted(found)]


def _expression(question: str) -> str:
    for match in EXPRESSION.finditer(question):
        candidate = match.group(0).strip()
        if OPERATOR.search(candidate) and not ISO_DATE.search(candidate):
            # Keep brackets balanced: "(3 + 4)" at the end of a sentence loses nothing.
            while candidate.count(")") > candidate.count("(") and candidate.endswith(")"):
                candidate = candidate[:-1].rstrip()
            return candidate
    return ""


def _numbers(question: str) -> list[int | float]:
    without_dates = ISO_DATE.sub(" ", question)
    values: list[int | float] = []
    for match in NUMBER.finditer(without_dates):
        text = match.group(0)
        values.append(float(text) if "." in text else int(text))
    return values


def _first_phrase(pattern: re.Pattern[str], question: str) -> str:
    for match in pattern.finditer(question):
        words = _phrase_words(match.group(1))
        if words and words[0][0].isalpha():
            return " ".join(words)
    return ""


def prompt_clues(question: str) -> PromptClues:
    flat = " ".join(question.split())
    return PromptClues(
        question=flat,
        names=tuple(_names(flat)),
        dates=tuple(_dates(flat)),
        numbers=tuple(_numbers(flat)),
        expression=_expression(flat),
        quoted=tuple(m.group(1) for m in QUOTED.finditer(flat)),
        phrase=_first_phrase(ARTICLE_PHRASE, flat),
        place=_first_phrase(PLACE_AFTER, flat),
        words=frozenset(w.lower() for w in WORD.findall(flat)),
    )


def word_stems(text: str) -> set[str]:
    """Lower-cased words of a name or sentence, split at `_`, `-`, `.` and camelCase, with a
    crude plural/verb ending removed, so `get_weather` meets "weather" and "forecasts"."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    stems = set()
    for word in re.split(r"[^A-Za-z0-9]+", spaced):
        word = word.lower()
        if len(word) < 3 or word in STOP_WORDS:
            continue
        for ending in ("ies", "es", "s", "ing", "ed"):
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        stems.add(word)
    return stems
