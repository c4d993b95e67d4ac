"""`tools` and `tool_choice` of a chat request, refused where Gemini refuses them.

Gemini turns every OpenAI function into a `function_declarations` entry of one tool, and its
`Schema` message has no `const`, `$schema`, `propertyNames` or nested `additionalProperties`,
and a single `type`. Each unknown keyword is a protobuf parse error, and every one found is
listed, one per line, the way Gemini lists them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from playground.emulator.errors import GeminiError, invalid_argument, invalid_value

CHOICE_WORDS = ("auto", "none", "required")
# Gemini's rule for function names (letters, digits, `_ . : -`, at most 64, no digit first).
FUNCTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]{0,63}")
NOT_A_FIELD = "Cannot find field."
NOT_REPEATING = "Proto field is not repeating, cannot start list."
# Keywords the proto lacks anywhere; `additionalProperties` only counts below the root.
UNKNOWN_ANYWHERE = ("$schema", "const", "propertyNames")


@dataclass(frozen=True, slots=True)
class FunctionTool:
    name: str
    description: str
    parameters: dict[str, Any] | None  # None: the function takes no arguments


@dataclass(frozen=True, slots=True)
class ToolChoice:
    mode: str = "auto"  # auto, none, required, or "function" for a named one
    function: str = ""

    @property
    def calls_tools(self) -> bool:
        return self.mode != "none"

    @property
    def forced(self) -> bool:
        return self.mode in ("required", "function")


AUTO_CHOICE = ToolChoice("auto")


def _violation(keyword: str, at: str, reason: str) -> dict[str, str]:
    description = f"Invalid JSON payload received. Unknown name \"{keyword}\" at '{at}': {reason}"
    return {"field": at, "description": description}


def schema_violations(schema: Any, at: str, *, root: bool = True) -> list[dict[str, str]]:
    """Gemini's field violations for one parameters schema, in the order a parser meets them."""
    if not isinstance(schema, dict):
        return []
    found: list[dict[str, str]] = []
    for key, value in schema.items():
        if key in UNKNOWN_ANYWHERE or (key == "additionalProperties" and not root):
            found.append(_violation(key, at, NOT_A_FIELD))
        elif key == "type" and isinstance(value, list):
            found.append(_violation(key, at, NOT_REPEATING))
        elif key == "properties" and isinstance(value, dict):
            for position, sub in enumerate(value.values()):
                found += schema_violations(sub, f"{at}.properties[{position}].value", root=False)
        elif key == "items" and isinstance(value, dict):
            found += schema_violations(value, f"{at}.items", root=False)
        elif key == "anyOf" and isinstance(value, list):
            for position, sub in enumerate(value):
                found += schema_violations(sub, f"{at}.any_of[{position}]", root=False)
    return found


def _function_tool(tool: Any, index: int) -> FunctionTool:
    function = tool.get("function") if isinstance(tool, dict) else None
    if not isinstance(function, dict) or not isinstance(function.get("name"), str):
        raise invalid_argument(f"Invalid tools[{index}]: a function tool needs function.name.")
    name = function["name"]
    if not FUNCTION_NAME.fullmatch(name):
        raise invalid_argument(
            f"* GenerateContentRequest.tools[0].function_declarations[{index}].name: Invalid "
            "function name. Must start with a letter or an underscore. Must be alphameric "
            "(a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a "
            "maximum length of 64."
        )
    description = function.get("description")
    if description is not None and not isinstance(description, str):
        raise invalid_value(f"tools[{index}].function.description", "TYPE_STRING", description)
    parameters = function.get("parameters")
    if parameters is not None and not isinstance(parameters, dict):
        raise invalid_value(f"tools[{index}].function.parameters", "TYPE_MESSAGE", parameters)
    return FunctionTool(name, description or "", parameters or None)


def tools_parse(value: Any) -> tuple[FunctionTool, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise invalid_value("tools", "TYPE_LIST", value)
    tools = tuple(_function_tool(tool, index) for index, tool in enumerate(value))
    violations = [
        violation
        for index, tool in enumerate(tools)
        for violation in schema_violations(
            tool.parameters, f"tools[0].function_declarations[{index}].parameters"
        )
    ]
    if violations:
        message = "\n".join(violation["description"] for violation in violations)
        details = [
            {"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": violations}
        ]
        raise GeminiError(400, message, details)
    names = [tool.name for tool in tools]
    for name in names:
        if names.count(name) > 1:
            raise invalid_argument(
                f"Duplicate function declaration found: {name}. Each function in tools needs "
                "a different name."
            )
    return tools


def tool_choice_parse(value: Any, tools: tuple[FunctionTool, ...]) -> ToolChoice:
    if value is None:
        return ToolChoice("auto")
    if isinstance(value, str):
        if value not in CHOICE_WORDS:
            raise invalid_argument(
                f"Invalid tool_choice: {value}. Valid values are: {', '.join(CHOICE_WORDS)}, "
                'or {"type": "function", "function": {"name": ...}}.'
            )
        choice = ToolChoice(value)
    else:
        function = value.get("function") if isinstance(value, dict) else None
        name = function.get("name") if isinstance(function, dict) else None
        if not isinstance(name, str) or value.get("type") != "function":
            raise invalid_value("tool_choice", "TYPE_STRING", value)
        choice = ToolChoice("function", name)
    if choice.forced and not tools:
        raise invalid_argument(
            f"tool_choice {json.dumps(value)} needs tools: function calling config mode ANY "
            "is only allowed when function declarations are given."
        )
    if choice.mode == "function" and choice.function not in {tool.name for tool in tools}:
        raise invalid_argument(
            f"tool_choice names function {choice.function}, which is not among the function "
            "declarations: allowed_function_names must be a subset of the declared functions."
        )
    return choice
