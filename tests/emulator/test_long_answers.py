from __future__ import annotations

from openai import OpenAI


def test_it_writes_as_much_as_the_prompt_asks_for(served):
    client = OpenAI(base_url=served.emulator_url, api_key="test")
    sizes = {}
    for kb in (1, 64):
        reply = client.chat.completions.create(
            model="gemini-2.0-flash",
            messages=[{"role": "user", "content": f"Write about rivers, about {kb} KB long."}],
        )
        sizes[kb] = len(reply.choices[0].message.content.encode())
    # The usual reply is about 1 KB already; 64 KB is padded with paragraphs.
    assert 900 < sizes[1] < 2048
    assert 64 * 1024 * 0.95 < sizes[64] < 64 * 1024 * 1.1


def test_a_long_answer_streams_in_many_chunks(served):
    client = OpenAI(base_url=served.emulator_url, api_key="test")
    stream = client.chat.completions.create(
        model="gemini-2.0-flash",
        messages=[{"role": "user", "content": "Write 2000 words about lakes"}],
        stream=True,
    )
    chunks = [chunk.choices[0].delta.content or "" for chunk in stream]
    assert len(chunks) > 200
    assert len("".join(chunks)) > 10_000
