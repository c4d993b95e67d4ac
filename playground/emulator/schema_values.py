"""A JSON value built from a JSON schema, filled from the prompt where the schema allows.

Used for tool-call arguments and for `response_format` replies. The value is valid against
the schema for the keywords a model's output is held to (types, required, enum, const,
bounds, lengths, item counts, formats, local `$ref`s, anyOf/oneOf/allOf, and `pattern` as
far as `pattern_text` can write a match). Numbers and strings are fitted in `scalar_values`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from playground.emulator.pattern_text import text_matching
from playground.emulator.prompt_clues import PromptClues
from playground.emulator.scalar_values import (
    bounded_number,
    clue_date,
    fit_length,
    formatted_text,
    matches,
)

MAX_DEPTH = 8
MAX_ITEMS = 6

PLACE_HINTS = frozenset(
    "location city place country address destination origin region town where state area "
    "venue airport station".split()
)
PERSON_HINTS = frozenset(
    "person people who participant participants attendee attendees author recipient "
    "recipients contact user users guest guests friend friends member members".split()
)
DATE_HINTS = frozenset("date day when deadline due start end birthday".split())
EXPRESSION_HINTS = frozenset("expression formula equation calculation math sum".split())
QUERY_HINTS = frozenset(
    "query q search text prompt question input message content keywords term terms".split()
)
TITLE_HINTS = frozenset("name title event subject summary label topic".split())


@dataclass
class Filler:
    """Fills one value; `slot` picks which name goes into the call's main parameter."""

    clues: PromptClues
    root: dict[str, Any]
    slot: int = 0
    all_properties: bool = True  # False for tool arguments: optional ones only when hinted
    numbers_used: int = 0
    people: bool = False  # inside a list of people: a `name` is a person's name
    today: date = field(default_factory=date.today)

    def value(self, schema: Any, name: str = "value", depth: int = 0) -> Any:
        schema = self.resolved(schema)
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return None
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self.enum_value(schema["enum"])
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            return self.value(merged_all_of(schema, self), name, depth + 1)
        for combinator in ("anyOf", "oneOf"):
            options = schema.get(combinator)
            if isinstance(options, list) and options:
                return self.value(non_null_option(options, self), name, depth + 1)
        kind = schema_type(schema)
        if kind == "object":
            return self.object_value(schema, depth)
        if kind == "array":
            return self.array_value(schema, name, depth)
        if kind in ("integer", "number"):
            return self.number_value(schema, name, integer=kind == "integer")
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return self.string_value(schema, name)

    def resolved(self, schema: Any) -> Any:
        """Follows local references (`#/$defs/Event`), as Pydantic and zod write them."""
        seen = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 20:
            target = pointer_target(self.root, schema["$ref"])
            if target is None:
                return {key: value for key, value in schema.items() if key != "$ref"}
            rest = {key: value for key, value in schema.items() if key != "$ref"}
            schema = {**target, **rest}
            seen += 1
        return schema

    def enum_value(self, options: list[Any]) -> Any:
        for option in options:
            if isinstance(option, str) and self.clues.mentions(option):
                return option
        return options[0]

    def object_value(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties = schema.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        required = [name for name in schema.get("required") or () if isinstance(name, str)]
        result: dict[str, Any] = {}
        for key, sub in properties.items():
            if key in required or self.all_properties or self.hinted(sub):
                result[key] = self.value(sub, key, depth + 1)
        for key in required:
            if key not in result:
                result[key] = f"emulated {key}"
        minimum = schema.get("minProperties")
        extra = 0
        while isinstance(minimum, int) and len(result) < minimum and extra < 50:
            extra += 1
            result.setdefault(f"field_{extra}", f"emulated value {extra}")
        return result

    def hinted(self, schema: Any) -> bool:
        """Whether the prompt settles an optional parameter (it names one of its values)."""
        schema = self.resolved(schema)
        options = schema.get("enum") if isinstance(schema, dict) else None
        return isinstance(options, list) and any(
            isinstance(option, str) and self.clues.mentions(option) for option in options
        )

    def array_value(self, schema: dict[str, Any], name: str, depth: int) -> list[Any]:
        items = schema.get("items")
        prefix = schema.get("prefixItems") if isinstance(schema.get("prefixItems"), list) else []
        low = schema.get("minItems") if isinstance(schema.get("minItems"), int) else 0
        high = schema.get("maxItems") if isinstance(schema.get("maxItems"), int) else MAX_ITEMS
        item_schema = self.resolved(items) if isinstance(items, dict) else {}
        names: tuple[str, ...] = ()
        if schema_type(item_schema) in ("string", None) and "enum" not in item_schema:
            names = self.names_for(name, item_schema)
        wanted = len(names) or 1
        count = max(low, len(prefix), min(wanted, high))
        count = min(count, max(high, low, len(prefix)))
        if items is False:
            count = len(prefix)
        values: list[Any] = []
        outer_slot, outer_people = self.slot, self.people
        self.people = outer_people or bool(hint_words(name, {}) & PERSON_HINTS)
        for position in range(count):
            sub = prefix[position] if position < len(prefix) else item_schema
            self.slot = outer_slot + position  # the n-th guest gets the n-th name
            if names and position < len(names) and sub is item_schema:
                value = self.string_value(item_schema, name, names[position])
            else:
                value = self.value(sub, singular(name), depth + 1)
            if schema.get("uniqueItems") and value in values:
                value = self.unique_variant(value, position)
            values.append(value)
        self.slot, self.people = outer_slot, outer_people
        return values

    def unique_variant(self, value: Any, position: int) -> Any:
        if isinstance(value, str):
            return f"{value} {position + 1}"
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int | float):
            return value + position
        return value

    def names_for(self, name: str, item_schema: dict[str, Any]) -> tuple[str, ...]:
        hint = hint_words(name, item_schema)
        if hint & (PLACE_HINTS | PERSON_HINTS | {"names"}):
            return self.clues.names
        return ()

    def number_value(self, schema: dict[str, Any], name: str, *, integer: bool) -> int | float:
        numbers = self.clues.numbers
        if self.numbers_used < len(numbers):
            candidate: float = numbers[self.numbers_used]
            self.numbers_used += 1
        else:
            candidate = 1
        return bounded_number(schema, candidate, integer=integer)

    def string_value(self, schema: dict[str, Any], name: str, chosen: str | None = None) -> str:
        text = chosen if chosen is not None else self.string_candidate(schema, name)
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not matches(pattern, text):
            fitting = (c for c in self.pattern_candidates() if matches(pattern, c))
            text = next(fitting, None) or text_matching(pattern) or text
        return fit_length(schema, text)

    def string_candidate(self, schema: dict[str, Any], name: str) -> str:
        clues = self.clues
        formatted = formatted_text(schema.get("format"), clue_date(clues, self.today), clues)
        if formatted is not None:
            return formatted
        hint = hint_words(name, schema)
        if self.people and "name" in hint:
            hint |= {"person"}
        if hint & (PLACE_HINTS | PERSON_HINTS):
            if clues.names:
                return clues.names[min(self.slot, len(clues.names) - 1)]
            if hint & PLACE_HINTS and clues.place:
                return clues.place
        if hint & DATE_HINTS and clues.dates:
            return clues.dates[0]
        if hint & EXPRESSION_HINTS and clues.expression:
            return clues.expression
        if hint & QUERY_HINTS:
            return clues.quoted[0] if clues.quoted else clues.question
        if hint & TITLE_HINTS and (clues.phrase or clues.names):
            return clues.phrase or clues.names[0]
        if clues.quoted:
            return clues.quoted[0]
        if clues.names:
            return clues.names[min(self.slot, len(clues.names) - 1)]
        return clues.phrase or f"emulated {name}"

    def pattern_candidates(self) -> list[str]:
        clues = self.clues
        numbers = [str(n) for n in clues.numbers]
        return [*clues.names, *clues.dates, *numbers, *clues.quoted, clues.phrase, clues.question]


def schema_type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return None


def non_null_option(options: list[Any], filler: Filler) -> Any:
    for option in options:
        resolved = filler.resolved(option)
        if isinstance(resolved, dict) and resolved.get("type") != "null":
            return option
    return options[0]


def merged_all_of(schema: dict[str, Any], filler: Filler) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        part = filler.resolved(part)
        if not isinstance(part, dict):
            continue
        for key, value in part.items():
            if key == "properties" and isinstance(merged.get("properties"), dict):
                merged["properties"] = {**merged["properties"], **value}
            elif key == "required" and isinstance(merged.get("required"), list):
                merged["required"] = [*merged["required"], *value]
            else:
                merged.setdefault(key, value)
    return merged


def pointer_target(root: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#"):
        return None
    target: Any = root
    for part in ref[1:].split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return None
    return target


def hint_words(name: str, schema: dict[str, Any]) -> set[str]:
    """The property's name and description as lower-case words (`cityName` -> city, name)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    words = {w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w}
    description = schema.get("description") if isinstance(schema, dict) else None
    if isinstance(description, str):
        # Only the first few words: "The city and state, e.g. Chicago, IL" -> city, state.
        words |= {w.lower() for w in re.findall(r"[A-Za-z]+", description)[:6]}
    return words


def singular(name: str) -> str:
    return name[:-1] if name.endswith("s") and len(name) > 3 else name


def value_for_schema(
    schema: Any, clues: PromptClues, *, slot: int = 0, all_properties: bool = True
) -> Any:
    root = schema if isinstance(schema, dict) else {}
    return Filler(clues, root, slot=slot, all_properties=all_properties).value(schema)
