"""Audio judged by its own bytes: RIFF/WAVE holding PCM, or MPEG Layer III (MP3) frames.

The duration comes from the headers: a WAV's data size over its byte rate, an MP3's frame
count times the samples each frame holds. Nothing is decoded, so nothing is trusted to a codec.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO, Literal

from playground.media.limits import UploadRefused

WAVE_FORMAT_PCM = 0x0001
WAVE_FORMAT_EXTENSIBLE = 0xFFFE
# The tail every WAVE_FORMAT_EXTENSIBLE sub-format GUID shares; the first two bytes are the code.
KSDATAFORMAT_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
WAVE_FORMAT_NAMES = {0x0003: "32-bit float", 0x0006: "A-law", 0x0007: "µ-law", 0x0011: "ADPCM"}
MAX_WAV_CHUNKS = 256

# Layer III tables, by MPEG version (1, 2, 2.5).
MP3_BITRATES_KBPS = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
MP3_SAMPLE_RATES = {1: (44100, 48000, 32000), 2: (22050, 24000, 16000), 25: (11025, 12000, 8000)}
MP3_VERSION_BITS = {3: 1, 2: 2, 0: 25}
# How far past the tags the first frame may start (encoders pad with zeros).
MP3_SYNC_SEARCH_BYTES = 64 * 1024
# Bytes after the last whole frame that are tolerated as a cut-off frame or a trailing tag.
MP3_TRAILING_TAGS = (b"TAG", b"APETAGEX", b"LYRICS", b"ID3")
MP3_MAX_TRAILING_BYTES = 4096

# Other audio people try, named so the refusal can say what the file is.
OTHER_AUDIO_MAGIC = (
    (0, b"OggS", "Ogg"),
    (0, b"fLaC", "FLAC"),
    (0, b"\x1a\x45\xdf\xa3", "WebM"),
    (4, b"ftyp", "MP4/M4A"),
    (0, b"FORM", "AIFF"),
    (0, b"#!AMR", "AMR"),
)


@dataclass(frozen=True, slots=True)
class AudioFacts:
    format: Literal["wav", "mp3"]
    duration_seconds: float
    sample_rate: int
    channels: int

    @property
    def mime_type(self) -> str:
        return "audio/mpeg" if self.format == "mp3" else "audio/wav"


def looks_like_wav(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WAVE"


def looks_like_mp3(head: bytes) -> bool:
    return head[:3] == b"ID3" or _mp3_frame(head, 0) is not None


def other_audio_name(head: bytes) -> str | None:
    """The name of a known non-WAV, non-MP3 audio container this file starts like."""
    for offset, magic, name in OTHER_AUDIO_MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return name
    # ADTS AAC: a 12-bit sync and layer bits 00, unlike MP3's layer bits 01.
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "AAC"
    return None


# --- WAV ---------------------------------------------------------------------------------


def _wav_format(fmt: bytes) -> tuple[int, int, int, int]:
    """(channels, sample rate, block align, bits) of a PCM fmt chunk; refuses anything else."""
    if len(fmt) < 16:
        raise UploadRefused("The WAV file's format chunk is too short to describe its sound.")
    code, channels, rate, byte_rate, block_align, bits = struct.unpack_from("<HHIIHH", fmt)
    if code == WAVE_FORMAT_EXTENSIBLE and len(fmt) >= 40 and fmt[26:40] == KSDATAFORMAT_TAIL:
        code = struct.unpack_from("<H", fmt, 24)[0]
    if code != WAVE_FORMAT_PCM:
        name = WAVE_FORMAT_NAMES.get(code, f"format code {code}")
        raise UploadRefused(
            f"This WAV file holds {name} audio, not PCM. Save it as 16-bit PCM WAV or as MP3."
        )
    if not 1 <= channels <= 8 or not 1000 <= rate <= 384_000 or bits not in {8, 16, 24, 32}:
        raise UploadRefused(
            f"The WAV header describes impossible sound ({channels} channels, {rate} Hz, "
            f"{bits}-bit)."
        )
    if block_align != channels * bits // 8 or byte_rate != rate * block_align:
        raise UploadRefused("The WAV header contradicts itself (block size or byte rate).")
    return channels, rate, block_align, bits


def wav_facts(stream: BinaryIO, size: int) -> AudioFacts:
    """Walks the RIFF chunks up to `data`; the samples themselves are never read."""
    stream.seek(0)
    head = stream.read(12)
    if not looks_like_wav(head):
        raise UploadRefused("This is not a WAV file: it does not start with RIFF…WAVE.")
    position = 12
    layout: tuple[int, int, int, int] | None = None
    for _ in range(MAX_WAV_CHUNKS):
        stream.seek(position)
        header = stream.read(8)
        if len(header) < 8:
            break
        chunk_id, chunk_size = header[:4], struct.unpack("<I", header[4:])[0]
        body_start = position + 8
        if chunk_id == b"fmt ":
            layout = _wav_format(stream.read(min(chunk_size, 64)))
        elif chunk_id == b"data":
            if layout is None:
                raise UploadRefused("The WAV file has no format chunk before its sound.")
            return _wav_data_facts(layout, chunk_size, available=size - body_start)
        elif body_start + chunk_size > size:
            break
        position = body_start + chunk_size + (chunk_size & 1)
    raise UploadRefused("The WAV file has no sound data (no complete “data” chunk).")


def _wav_data_facts(
    layout: tuple[int, int, int, int], data_size: int, *, available: int
) -> AudioFacts:
    channels, rate, block_align, _bits = layout
    if data_size > available:
        raise UploadRefused(
            f"The WAV file is cut short: its header announces {data_size:,} bytes of sound "
            f"but only {available:,} follow."
        )
    frames = data_size // block_align
    if frames == 0:
        raise UploadRefused("The WAV file holds no sound.")
    return AudioFacts(
        format="wav", duration_seconds=frames / rate, sample_rate=rate, channels=channels
    )


# --- MP3 ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Frame:
    version: int  # 1, 2 or 25 (MPEG 2.5)
    sample_rate: int
    channels: int
    length: int

    @property
    def samples(self) -> int:
        return 1152 if self.version == 1 else 576

    @property
    def side_info_size(self) -> int:
        if self.version == 1:
            return 17 if self.channels == 1 else 32
        return 9 if self.channels == 1 else 17


def _mp3_frame(data: bytes, offset: int) -> _Frame | None:
    """The Layer III frame header at `offset`, or None when the bytes there are not one."""
    if offset + 4 > len(data):
        return None
    word = int.from_bytes(data[offset : offset + 4], "big")
    version = MP3_VERSION_BITS.get((word >> 19) & 3)
    layer_bits = (word >> 17) & 3
    bitrate_index = (word >> 12) & 0xF
    rate_index = (word >> 10) & 3
    if (word >> 21) & 0x7FF != 0x7FF or version is None or layer_bits != 1:
        return None
    if bitrate_index in {0, 15} or rate_index == 3:
        return None
    bitrate = MP3_BITRATES_KBPS[1 if version == 1 else 2][bitrate_index] * 1000
    rate = MP3_SAMPLE_RATES[version][rate_index]
    padding = (word >> 9) & 1
    length = (144 if version == 1 else 72) * bitrate // rate + padding
    channels = 1 if (word >> 6) & 3 == 3 else 2
    return _Frame(version=version, sample_rate=rate, channels=channels, length=length)


def _skip_id3v2(data: bytes) -> int:
    """Offset just past any ID3v2 tags at the start (their size is stored 7 bits a byte)."""
    position = 0
    while data[position : position + 3] == b"ID3" and position + 10 <= len(data):
        size_bytes = data[position + 6 : position + 10]
        if any(byte & 0x80 for byte in size_bytes):
            raise UploadRefused("The MP3 file's ID3 tag header is damaged.")
        size = 0
        for byte in size_bytes:
            size = size << 7 | byte
        footer = 10 if data[position + 5] & 0x10 else 0
        position += 10 + size + footer
    return position


def _first_frame(data: bytes, start: int) -> int:
    """Where the frames begin: a header whose successor is a header too (or the end)."""
    for offset in range(start, min(len(data), start + MP3_SYNC_SEARCH_BYTES)):
        frame = _mp3_frame(data, offset)
        if frame is None:
            continue
        following = offset + frame.length
        if following == len(data) or _mp3_frame(data, following) is not None:
            return offset
    raise UploadRefused("No MP3 audio frames were found in this file.")


def _is_info_frame(data: bytes, offset: int, frame: _Frame) -> bool:
    """Encoders put a silent "Xing"/"Info" (or "VBRI") frame first to describe the rest."""
    tag_at = offset + 4 + frame.side_info_size
    xing = data[tag_at : tag_at + 4] in {b"Xing", b"Info"}
    return xing or data[offset + 36 : offset + 40] == b"VBRI"


def mp3_facts(stream: BinaryIO) -> AudioFacts:
    stream.seek(0)
    data = stream.read()
    position = _first_frame(data, _skip_id3v2(data))
    first = _mp3_frame(data, position)
    assert first is not None
    samples = 0
    frames = 0
    if _is_info_frame(data, position, first):
        position += first.length
    while (frame := _mp3_frame(data, position)) is not None:
        if position + frame.length > len(data):
            break  # a last frame cut off mid-way: the whole ones still count
        if (frame.version, frame.sample_rate) != (first.version, first.sample_rate):
            raise UploadRefused("The MP3 file changes its sample rate part-way through.")
        samples += frame.samples
        frames += 1
        position += frame.length
    trailing = data[position:]
    if len(trailing) > MP3_MAX_TRAILING_BYTES and not trailing.startswith(MP3_TRAILING_TAGS):
        raise UploadRefused(
            f"The MP3 audio breaks off at byte {position:,}; the {len(trailing):,} bytes "
            "after it are not MP3 frames."
        )
    if frames == 0:
        raise UploadRefused("This MP3 file holds no sound.")
    return AudioFacts(
        format="mp3",
        duration_seconds=samples / first.sample_rate,
        sample_rate=first.sample_rate,
        channels=first.channels,
    )


def audio_check(stream: BinaryIO, size: int, *, max_seconds: int) -> AudioFacts:
    """Facts of a WAV or MP3 file, or UploadRefused with what is wrong."""
    stream.seek(0)
    head = stream.read(16)
    if looks_like_wav(head):
        facts = wav_facts(stream, size)
    elif looks_like_mp3(head):
        facts = mp3_facts(stream)
    else:
        raise UploadRefused("This is not a WAV or MP3 file.")
    if facts.duration_seconds > max_seconds:
        raise UploadRefused(
            f"This recording lasts {facts.duration_seconds:,.1f} seconds; audio may last at "
            f"most {max_seconds:,} second{'' if max_seconds == 1 else 's'}."
        )
    return facts
