"""Audio is judged by its header: PCM WAV or MP3 frames, with a duration from the headers."""

from __future__ import annotations

import io

import pytest

from playground.media.audio_check import audio_check
from playground.media.limits import UploadRefused
from tests.media import files


def facts(data: bytes, max_seconds: int = 600):
    return audio_check(io.BytesIO(data), len(data), max_seconds=max_seconds)


def refusal(data: bytes, max_seconds: int = 600) -> str:
    with pytest.raises(UploadRefused) as refused:
        facts(data, max_seconds)
    return str(refused.value)


def test_it_reads_the_duration_of_a_pcm_wav_from_its_header() -> None:
    result = facts(files.wav(2.5, rate=16000))

    assert (result.format, result.mime_type) == ("wav", "audio/wav")
    assert result.duration_seconds == 2.5
    assert (result.sample_rate, result.channels) == (16000, 1)


def test_it_reads_8_bit_stereo_wav() -> None:
    result = facts(files.wav(1.0, rate=8000, channels=2, sample_width=1))

    assert (result.duration_seconds, result.channels) == (1.0, 2)


def test_it_reads_pcm_in_an_extensible_header_past_other_chunks() -> None:
    assert facts(files.extensible_wav(0.25, rate=8000)).duration_seconds == 0.25


@pytest.mark.parametrize(
    ("seconds", "rate", "layout"), [(1.0, 44100, "mono"), (2.0, 22050, "stereo")]
)
def test_it_counts_mp3_frames_for_the_duration(seconds, rate, layout) -> None:
    result = facts(files.mp3(seconds, rate=rate, layout=layout))

    assert (result.format, result.mime_type) == ("mp3", "audio/mpeg")
    # LAME pads the last frame: the frames cover the sound and at most ~70 ms more.
    assert seconds <= result.duration_seconds < seconds + 0.07
    assert result.sample_rate == rate
    assert result.channels == (1 if layout == "mono" else 2)


def test_it_accepts_an_id3v1_tag_after_the_mp3_frames() -> None:
    tagged = files.mp3(0.5) + b"TAG" + b"Title".ljust(125, b"\0")

    assert facts(tagged).duration_seconds > 0.5


def test_it_refuses_float_wav_by_name() -> None:
    assert "32-bit float audio, not PCM" in refusal(files.float_wav())


def test_it_refuses_a_wav_cut_short() -> None:
    whole = files.wav(1.0, rate=8000)

    assert "cut short" in refusal(whole[: len(whole) // 2])


def test_it_refuses_a_wav_without_sound() -> None:
    header_only = files.wav(1.0, rate=8000)[:36]

    assert "no sound data" in refusal(header_only)


def test_it_refuses_an_mp3_that_turns_into_something_else() -> None:
    spliced = files.mp3(0.5) + files.noise_png((100, 100))

    assert "breaks off" in refusal(spliced)


def test_it_refuses_audio_longer_than_the_limit_and_says_the_limit() -> None:
    message = refusal(files.wav(2.0, rate=8000), max_seconds=1)

    assert "lasts 2.0 seconds" in message and "at most 1 second." in message
