"""The words of a made-up reply: honest about being made up, and useful for trying a UI.

A reply quotes the question, counts the turns and echoes the system instruction, so a person
trying the interface can see that history and settings really reached the "model".
"""

from __future__ import annotations

import random
import re

from playground.emulator.chat_request import ChatRequest
from playground.emulator.conversation import ATTACHMENT_NAMES, Conversation

DISCLAIMER = "*(Emulator reply — made up locally, not from Gemini.)*"
MARKDOWN_WORDS = re.compile(
    r"\b(markdown|lists?|bullets?|bullet points?|tables?|code|snippets?|python|functions?|"
    r"scripts?|examples? in)\b",
    re.IGNORECASE,
)
QUOTE_LIMIT = 200
TOPIC_WORDS = 10

OPENINGS = (
    "A real Gemini model would now answer {topic} in its own words; this emulator only shows "
    "how such an answer travels through the interface.",
    "Here is where Gemini would take up {topic}. The emulator writes a stand-in instead, so the "
    "page can be tried without a key or a network.",
    "On {topic}: the emulator has no model behind it, so it describes the request it received "
    "rather than answering it.",
)
SENTENCES = (
    "The same request with the same seed gets the same reply; without a seed each one is "
    "drawn anew.",
    "Watch how the text arrives: a first chunk after a short pause, then a steady run of "
    "word-sized pieces at the configured speed.",
    "Ask for a list, a table or some code to see how markdown renders.",
    "The turn count above is a quick check that the conversation history is sent along.",
    "Reasoning settings change how long the model thinks before it answers; the usage numbers "
    "at the end include the thinking tokens.",
    "If you stop the stream part-way, what arrived so far should stay on the screen.",
    "Nothing here left your machine: the key was only checked for being present.",
    "Stop sequences cut the text where they appear, and max_tokens ends it early with the "
    'finish reason "length".',
    "With several choices (n above 1) each one is worded differently, so they can be compared "
    "side by side.",
    "Thought summaries, when asked for, arrive before the answer and are flagged as thoughts.",
)
PLANS = (
    "I will restate the question, then describe how a full answer would be laid out.",
    "The reply should stay short, say plainly that it is made up, and show the settings.",
    "I should check which instruction applies and keep the answer in that spirit.",
    "A structured reply fits best: a short introduction, then the details.",
)


def one_line(text: str, limit: int = QUOTE_LIMIT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def topic_of(conversation: Conversation) -> str:
    words = conversation.last_question.split()
    if not words:
        return "your message"
    short = " ".join(words[:TOPIC_WORDS])
    return f"“{short}…”" if len(words) > TOPIC_WORDS else f"“{short}”"


def wants_markdown(request: ChatRequest) -> bool:
    conversation = request.conversation
    return bool(MARKDOWN_WORDS.search(conversation.last_question)) or bool(
        MARKDOWN_WORDS.search(conversation.system_instruction)
    )


def settings_line(request: ChatRequest, index: int) -> str:
    temperature = "default" if request.temperature is None else f"{request.temperature:g}"
    return (
        f"_Model: {request.model_given} · thinking: {request.thinking.label} · "
        f"temperature: {temperature} · choice {index + 1} of {request.n}._"
    )


def received_list(conversation: Conversation) -> str:
    """One bullet per picture or sound clip, with what it decoded to: proof it arrived intact."""
    numbers: dict[str, int] = {}
    bullets = ["What arrived:"]
    for media in conversation.received:
        numbers[media.noun] = numbers.get(media.noun, 0) + 1
        bullets.append(f"- {media.noun} {numbers[media.noun]}: {media.summary}")
    return "\n".join(bullets)


def context_lines(request: ChatRequest) -> list[str]:
    """What the request carried: question, turn, system instruction, attachments, tools."""
    conversation = request.conversation
    lines = []
    if conversation.last_question.strip():
        lines.append(f"You asked: “{one_line(conversation.last_question)}”")
    turn = conversation.user_turns
    lines.append(
        f"This is turn {turn} of the conversation ({conversation.assistant_turns} earlier "
        f"{'reply' if conversation.assistant_turns == 1 else 'replies'} in the history)."
    )
    if conversation.system_instruction.strip():
        lines.append(f"System instruction: “{one_line(conversation.system_instruction)}”")
    attached = [
        f"{count} {ATTACHMENT_NAMES[kind]}{'' if count == 1 else 's'}"
        for kind, count in sorted(conversation.attachments.items())
    ]
    if attached:
        lines.append(f"({', '.join(attached)} attached.)")
    if conversation.received:
        lines.append(received_list(conversation))
    if conversation.tool_results:
        lines.append(f"({conversation.tool_results} tool result(s) in the history.)")
    if request.tool_names:
        names = ", ".join(f"`{name}`" for name in request.tool_names)
        # Any other tool_choice makes a call instead of this text (see tool_calls).
        lines.append(f"Tools offered: {names} (tool_choice is none, so none was called).")
    if request.cached_content:
        lines.append(f"Cached content `{request.cached_content}` would be read first.")
    return lines


def markdown_section(request: ChatRequest, index: int) -> str:
    topic = topic_of(request.conversation).strip("“”").replace("`", "'")
    temperature = "default" if request.temperature is None else f"{request.temperature:g}"
    return "\n".join(
        [
            "### What a formatted answer looks like",
            "",
            f"- **Question:** {topic}",
            f"- **Turn:** {request.conversation.user_turns}",
            f"- **Choice:** {index + 1} of {request.n}",
            "",
            "| Setting | Value |",
            "| --- | --- |",
            f"| Model | `{request.model_given}` |",
            f"| Thinking | {request.thinking.label} |",
            f"| Temperature | {temperature} |",
            "",
            "```python",
            "def emulated_answer(question: str) -> str:",
            '    """A real model would write working code here."""',
            "    words = question.split()",
            '    return f"{len(words)} words, answered by the emulator"',
            "",
            "",
            f"print(emulated_answer({topic!r}))",
            "```",
        ]
    )


LENGTH_ASKED = re.compile(r"(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>kb|words)\b", re.IGNORECASE)
MAX_ANSWER_CHARS = 256 * 1024


def answer_text(request: ChatRequest, index: int, rng: random.Random) -> str:
    topic = topic_of(request.conversation)
    body = [rng.choice(OPENINGS).format(topic=topic), *rng.sample(SENTENCES, 3)]
    parts = [DISCLAIMER, *context_lines(request), " ".join(body)]
    if wants_markdown(request):
        parts.append(markdown_section(request, index))
    parts.append(settings_line(request, index))
    if (wanted := wanted_length(request.conversation.last_question)) is not None:
        parts.insert(-1, filler(wanted - sum(len(p) + 2 for p in parts), rng))
    return "\n\n".join(parts)


def wanted_length(question: str) -> int | None:
    """Characters asked for by "about 64 KB" or "2000 words" in the question (capped)."""
    match = LENGTH_ASKED.search(question)
    if match is None:
        return None
    amount, unit = float(match["amount"]), match["unit"].lower()
    size = amount * (1024 if unit == "kb" else 6)
    return int(min(size, MAX_ANSWER_CHARS))


def filler(chars: int, rng: random.Random) -> str:
    """Paragraphs of the emulator's sentences, about `chars` long, for watching long streams."""
    paragraphs: list[str] = []
    used = 0
    while used < chars:
        paragraph = " ".join(rng.sample(SENTENCES, 3))
        paragraphs.append(paragraph)
        used += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def thought_text(request: ChatRequest, rng: random.Random, thinking_tokens: int) -> str:
    """A thought summary in Gemini's manner: short bold headings, then a few sentences."""
    conversation = request.conversation
    reading = (
        f"The user asks about {topic_of(conversation)}; this is turn {conversation.user_turns}."
    )
    if conversation.system_instruction.strip():
        instruction = one_line(conversation.system_instruction, 80).rstrip(".")
        reading += f" The system instruction says “{instruction}”."
    return "\n\n".join(
        [
            "**Reading the request**",
            reading,
            "**Planning the reply**",
            f"{rng.choice(PLANS)} Thinking at {request.thinking.label}, about "
            f"{thinking_tokens:,} tokens (emulated).",
        ]
    )
