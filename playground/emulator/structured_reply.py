"""Replies for `response_format` json_object / json_schema: valid JSON, filled from the prompt.

A json_schema reply is built from the schema (see `schema_values`), so a client's own
validation passes: `client.chat.completions.parse(response_format=PydanticModel)` in Python,
`zodResponseFormat` in JavaScript. A json_object reply is an object that admits it is made up.
"""

from __future__ import annotations

import json

from playground.emulator.chat_request import ChatRequest
from playground.emulator.prompt_clues import prompt_clues
from playground.emulator.reply_text import one_line
from playground.emulator.schema_values import value_for_schema

NOTE = "Emulator reply: made up locally, not from Gemini."


def json_answer_text(request: ChatRequest, index: int) -> str:
    response_format = request.response_format or {}
    conversation = request.conversation
    if response_format.get("type") == "json_schema":
        schema = response_format["json_schema"]["schema"]
        value = value_for_schema(schema, prompt_clues(conversation.last_question))
    else:
        value = {
            "note": NOTE,
            "question": one_line(conversation.last_question),
            "turn": conversation.user_turns,
            "choice": index + 1,
            "model": request.model_given,
        }
    return json.dumps(value, indent=2, ensure_ascii=False)
