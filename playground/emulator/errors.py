"""Gemini's error bodies: a JSON list holding one `{"error": {...}}`, `code` equal to the status.

In the OpenAI flavour (EMULATOR_FLAVOUR=openai) the same errors go out in OpenAI's shape: one
object `{"error": {"message", "type", "param", "code"}}`, not wrapped in a list.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpResponse

JSON_CONTENT_TYPE = "application/json; charset=UTF-8"

# OpenAI's error types for the HTTP codes the emulator answers with.
OPENAI_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
    500: "server_error",
    503: "server_error",
}

# google.rpc status names for the HTTP codes the emulator answers with.
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

KEY_INVALID_DETAILS = [
    {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "API_KEY_INVALID",
        "domain": "googleapis.com",
        "metadata": {"service": "generativelanguage.googleapis.com"},
    }
]


class GeminiError(Exception):
    """Raised anywhere in the emulator; the endpoint wrapper turns it into Gemini's error body."""

    def __init__(
        self,
        code: int,
        message: str,
        details: list[dict[str, Any]] | None = None,
        *,
        openai_code: str | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.openai_code = openai_code

    def openai_body(self) -> dict[str, Any]:
        kind = OPENAI_TYPES.get(self.code, "server_error")
        return {
            "error": {"message": self.message, "type": kind, "param": None,
                      "code": self.openai_code},
        }  # fmt: skip

    def body(self) -> list[dict[str, Any]]:
        error: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "status": STATUS_NAMES.get(self.code, "UNKNOWN"),
        }
        if self.details:
            error["details"] = self.details
        return [{"error": error}]

    def response(self) -> HttpResponse:
        if settings.EMULATOR_FLAVOUR == "openai":
            return json_response(self.openai_body(), status=self.code)
        return json_response(self.body(), status=self.code)


def json_response(payload: Any, status: int = 200) -> HttpResponse:
    """Compact JSON with sorted keys, as Gemini's endpoint writes it."""
    return HttpResponse(dumps(payload), status=status, content_type=JSON_CONTENT_TYPE)


def dumps(payload: Any) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def invalid_argument(message: str) -> GeminiError:
    return GeminiError(400, message)


def api_key_invalid() -> GeminiError:
    return GeminiError(400, "API key not valid. Please pass a valid API key.", KEY_INVALID_DETAILS)


def unknown_field(name: str, at: str = "") -> GeminiError:
    """The protobuf JSON parser's wording for a field it does not know (seen for `google`)."""
    where = f" at '{at}'" if at else ""
    message = f'Invalid JSON payload received. Unknown name "{name}"{where}: Cannot find field.'
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [
                {"field": at, "description": message} if at else {"description": message}
            ],
        }
    ]
    return GeminiError(400, message, details)


def invalid_value(field: str, type_name: str, value: Any) -> GeminiError:
    """The protobuf JSON parser's wording for a value of the wrong type."""
    shown = json.dumps(value, ensure_ascii=False)
    return GeminiError(400, f"Invalid value at '{field}' ({type_name}), {shown}")


def unrecognized_argument(name: str) -> GeminiError:
    """OpenAI's wording for a request field it does not take (`extra_body` among them)."""
    return GeminiError(
        400, f"Unrecognized request argument supplied: {name}", openai_code="unknown_parameter"
    )


def model_not_found(model_id: str) -> GeminiError:
    if settings.EMULATOR_FLAVOUR == "openai":
        return GeminiError(
            404,
            f"The model `{model_id}` does not exist or you do not have access to it.",
            openai_code="model_not_found",
        )
    # Wording copied from a recorded 404 (including its API version).
    return GeminiError(
        404,
        f"models/{model_id} is not found for API version v1main, or is not supported for "
        "generateContent. Call ModelService.ListModels to see the list of available models "
        "and their supported methods.",
    )
