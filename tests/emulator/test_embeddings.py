"""POST embeddings: the seed page's examples, both encodings, sizes, and Gemini's refusals."""

from __future__ import annotations

import array
import base64
import json
import math
import subprocess

import openai
import pytest
from openai import OpenAI

from playground.emulator.embedding_vectors import embedding_vector
from tests.emulator.conftest import KEY, error_of, post_raw

RELATED = ("The cat sat on the mat.", "A cat was sitting on the mat.")
UNRELATED = "Quarterly revenue grew by five percent."


def cosine(a: list[float], b: list[float]) -> float:
    return math.sumprod(a, b) / math.sqrt(math.sumprod(a, a) * math.sumprod(b, b))


def test_it_answers_the_seed_python_example(base_url: str) -> None:
    client = OpenAI(api_key=KEY, base_url=base_url)

    response = client.embeddings.create(
        input="Your text string goes here", model="gemini-embedding-2-preview"
    )

    assert len(response.data) == 1
    assert len(response.data[0].embedding) == 3072
    assert response.model == "gemini-embedding-2-preview"
    assert response.usage.prompt_tokens == response.usage.total_tokens > 0


def test_it_answers_the_seed_curl_example_with_floats(base_url: str) -> None:
    result = subprocess.run(
        [
            "curl", "-sS", base_url + "embeddings",
            "-H", "Content-Type: application/json",
            "-H", f"Authorization: Bearer {KEY}",
            "-d", '{"input": "Your text string goes here", "model": "gemini-embedding-001"}',
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip

    body = json.loads(result.stdout)
    assert body["object"] == "list"
    assert body["data"][0]["object"] == "embedding"
    assert len(body["data"][0]["embedding"]) == 3072
    assert all(isinstance(value, float) for value in body["data"][0]["embedding"])


def test_base64_and_float_carry_the_same_float32_numbers(base_url: str) -> None:
    ask = {"model": "gemini-embedding-001", "input": list(RELATED)}

    as_floats = post_raw(base_url, "embeddings", {**ask, "encoding_format": "float"}).json()
    as_base64 = post_raw(base_url, "embeddings", {**ask, "encoding_format": "base64"}).json()

    for floats, encoded in zip(as_floats["data"], as_base64["data"], strict=True):
        decoded = array.array("f", base64.b64decode(encoded["embedding"]))
        assert isinstance(encoded["embedding"], str)
        assert len(decoded) == 3072
        assert decoded == array.array("f", floats["embedding"])


def test_the_sdk_default_base64_decodes_to_the_float_answer(sdk: OpenAI) -> None:
    by_default = sdk.embeddings.create(model="gemini-embedding-001", input=list(RELATED))
    as_floats = sdk.embeddings.create(
        model="gemini-embedding-001", input=list(RELATED), encoding_format="float"
    )

    for default, floats in zip(by_default.data, as_floats.data, strict=True):
        assert array.array("f", default.embedding) == array.array("f", floats.embedding)


def test_related_texts_score_higher_than_unrelated_ones(sdk: OpenAI) -> None:
    vectors = [
        item.embedding
        for item in sdk.embeddings.create(
            model="gemini-embedding-001", input=[*RELATED, UNRELATED]
        ).data
    ]

    assert cosine(vectors[0], vectors[1]) > 0.4
    assert abs(cosine(vectors[0], vectors[2])) < 0.15
    assert abs(cosine(vectors[1], vectors[2])) < 0.15


def test_the_same_text_always_gets_the_same_vector(sdk: OpenAI) -> None:
    first = sdk.embeddings.create(model="gemini-embedding-001", input=UNRELATED)
    second = sdk.embeddings.create(model="gemini-embedding-001", input=[UNRELATED, "other"])

    assert first.data[0].embedding == second.data[0].embedding


def test_full_vectors_are_normalised_and_shorter_ones_are_their_prefix(sdk: OpenAI) -> None:
    full = sdk.embeddings.create(model="gemini-embedding-001", input=RELATED[0]).data[0]
    short = sdk.embeddings.create(
        model="gemini-embedding-001", input=RELATED[0], dimensions=768
    ).data[0]

    assert math.isclose(math.sumprod(full.embedding, full.embedding), 1.0, rel_tol=1e-5)
    assert len(short.embedding) == 768
    assert short.embedding == full.embedding[:768]


def test_similarity_survives_truncation_to_whole_blocks() -> None:
    for size in (128, 768, 1536):
        a, b, c = (
            embedding_vector(text, size=3072, dimensions=size) for text in (*RELATED, UNRELATED)
        )
        assert cosine(a, b) > cosine(a, c) + 0.25


def test_it_keeps_the_order_of_many_inputs(sdk: OpenAI) -> None:
    texts = [f"sentence number {n} about topic {n % 3}" for n in range(100)]

    response = sdk.embeddings.create(model="gemini-embedding-001", input=texts, dimensions=128)

    assert [item.index for item in response.data] == list(range(100))
    expected = embedding_vector(texts[42], size=3072, dimensions=128)
    assert array.array("f", response.data[42].embedding) == array.array("f", expected)


def refusal(base_url: str, body: dict[str, object], status: int = 400) -> str:
    response = post_raw(base_url, "embeddings", body)
    assert response.status_code == status, response.text
    return error_of(response)["message"]


def test_it_refuses_a_chat_model_as_gemini_does(base_url: str) -> None:
    message = refusal(base_url, {"model": "gemini-2.5-flash", "input": "hi"}, status=404)

    assert message.startswith("models/gemini-2.5-flash is not found for API version")
    assert "embedContent" in message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"input": "hi"}, "model is required"),
        ({"model": "gemini-embedding-001"}, "input is required"),
        ({"model": "gemini-embedding-001", "input": ["ok", "  "]}, "requests[1].content.parts"),
        ({"model": "gemini-embedding-001", "input": [[1, 2, 3]]}, "Invalid value at 'input'"),
        ({"model": "gemini-embedding-001", "input": ["x"] * 101}, "at most 100 requests"),
        ({"model": "gemini-embedding-001", "input": "x", "dimensions": 4096}, "between 1 and 3072"),
        (
            {"model": "gemini-embedding-001", "input": "x", "encoding_format": "int8"},
            "float, base64",
        ),
        ({"model": "gemini-embedding-001", "input": "x", "user": "u1"}, 'Unknown name "user"'),
    ],
)
def test_it_refuses_what_gemini_refuses(base_url: str, body: dict[str, object], words: str) -> None:
    assert words in refusal(base_url, body)


def test_the_sdk_raises_the_right_class_for_a_refusal(sdk: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        sdk.embeddings.create(model="gemini-embedding-001", input="x", dimensions=0)

    assert raised.value.body[0]["error"]["status"] == "INVALID_ARGUMENT"
