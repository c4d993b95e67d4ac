"""Gemini's error bodies: a JSON list holding one `{"error": {...}}`, `code` equal to the status."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

JSON_CONTENT_TYPE = "application/json; charset=UTF-8"

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

    def __init__(self, code: int, message: str, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

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


def model_not_found(model_id: str) -> GeminiError:
    # Wording copied from a recorded 404 (including its API version).
    return GeminiError(
        404,
        f"models/{model_id} is not found for API version v1main, or is not supported for "
        "generateContent. Call ModelService.ListModels to see the list of available models "
        "and their supported methods.",
    )
