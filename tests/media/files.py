"""Real files, built in code: pictures with Pillow, WAV with `wave`, MP3 with PyAV (LAME)."""

from __future__ import annotations

import base64
import io
import math
import struct
import wave
import zlib

import av
from PIL import Image, TiffImagePlugin


def picture(
    size: tuple[int, int] = (64, 48), *, mode: str = "RGB", image_format: str = "PNG", **params
) -> bytes:
    """A left-to-right gradient, so orientation and scaling can be checked by its pixels."""
    image = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(size)
    image = Image.merge("RGB", (image, Image.new("L", size, 60), Image.new("L", size, 200)))
    if mode != "RGB":
        image = image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def noise_png(size: tuple[int, int]) -> bytes:
    """Incompressible pixels: a PNG about 3 bytes a pixel."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, _noise(size[0] * size[1] * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def _noise(length: int) -> bytes:
    state, out = 12345, bytearray()
    while len(out) < length:
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        out += state.to_bytes(8, "little")
    return bytes(out[:length])


def jpeg_with_exif(*, orientation: int, size: tuple[int, int] = (60, 30)) -> bytes:
    """A JPEG whose EXIF says how to turn it, and where it was taken (which must not be kept)."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x013B] = "Ada Lovelace"  # Artist
    exif[0x010F] = "Test Camera Co."  # Make
    gps = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    exif[0x8825] = gps
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1]))  # blue left half, red right
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, icc_profile=b"not really a profile", quality=95)
    return buffer.getvalue()


def cmyk_jpeg() -> bytes:
    image = Image.new("CMYK", (40, 30), (0, 255, 255, 0))  # red in CMYK
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def sixteen_bit_png(value: int = 40000) -> bytes:
    buffer = io.BytesIO()
    Image.new("I;16", (20, 10), value).save(buffer, "PNG")
    return buffer.getvalue()


def palette_png_with_transparency() -> bytes:
    image = Image.new("P", (16, 16), 0)
    image.putpalette([255, 0, 0, 0, 255, 0] + [0] * (254 * 3))
    image.paste(1, (0, 0, 8, 16))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)
    return buffer.getvalue()


def animated_gif(frames: int = 3) -> bytes:
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)]
    pictures = [Image.new("RGB", (10, 10), colours[index % 4]) for index in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=True, append_images=pictures[1:], duration=100)
    return buffer.getvalue()


def multipage_tiff() -> bytes:
    buffer = io.BytesIO()
    with TiffImagePlugin.AppendingTiffWriter(buffer) as tiff:
        for shade in (0, 128):
            Image.new("L", (8, 8), shade).save(tiff, "TIFF")
            tiff.newFrame()
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas: a decompression bomb's opening move."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + _png_chunk(b"IEND", b"")
    )


def wav(
    seconds: float = 1.0, *, rate: int = 16000, channels: int = 1, sample_width: int = 2
) -> bytes:
    """A 440 Hz tone as PCM WAV, written by the standard library."""
    frames = int(seconds * rate)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(channels)
        sound.setsampwidth(sample_width)
        sound.setframerate(rate)
        # 440 whole cycles a second: one second of tone repeats seamlessly.
        second = _tone(min(frames, rate), channels, sample_width, rate)
        whole, rest = divmod(frames, rate)
        sound.writeframes(second * whole + second[: rest * channels * sample_width])
    return buffer.getvalue()


def _tone(frames: int, channels: int, sample_width: int, rate: int) -> bytes:
    if sample_width == 1:
        one = bytes(int(128 + 60 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(frames))
        return bytes(byte for byte in one for _ in range(channels))
    samples = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(frames))
    return b"".join(struct.pack("<h", sample) * channels for sample in samples)


def float_wav(seconds: float = 0.5, rate: int = 8000) -> bytes:
    """IEEE-float WAV (format code 3): a real format, but not PCM."""
    frames = int(seconds * rate)
    data = b"".join(struct.pack("<f", 0.25) for _ in range(frames))
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def mp3(seconds: float = 1.0, *, rate: int = 44100, layout: str = "mono") -> bytes:
    """A 440 Hz tone encoded by LAME through PyAV, with the ID3 and Info headers LAME writes."""
    channels = 1 if layout == "mono" else 2
    samples = int(seconds * rate)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=rate, layout=layout)
        frame = av.AudioFrame(format="s16", layout=layout, samples=samples)
        frame.planes[0].update(_tone(samples, channels, 2, rate))
        frame.sample_rate = rate
        frame.pts = 0
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return buffer.getvalue()


def encoded_audio(container_format: str, codec: str, seconds: float = 0.5) -> bytes:
    """A tone in another container (FLAC, Ogg/Opus, ADTS AAC, M4A) that the API does not take."""
    rate = 48000
    samples = int(seconds * rate)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container_format) as container:
        stream = container.add_stream(codec, rate=rate, layout="mono")
        frame = av.AudioFrame(format="s16", layout="mono", samples=samples)
        frame.planes[0].update(_tone(samples, 1, 2, rate))
        frame.sample_rate = rate
        frame.pts = 0
        resampler = av.AudioResampler(format=stream.codec_context.format, layout="mono", rate=rate)
        for converted in resampler.resample(frame):
            for packet in stream.encode(converted):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def extensible_wav(seconds: float = 0.25, rate: int = 8000) -> bytes:
    """PCM in a WAVE_FORMAT_EXTENSIBLE header, as many recorders write 24-bit or multichannel."""
    data = _tone(int(seconds * rate), 1, 2, rate)
    guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    fmt = struct.pack("<HHIIHHHHI", 0xFFFE, 1, rate, rate * 2, 2, 16, 22, 16, 4)
    fmt += struct.pack("<H", 1) + guid_tail
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"LIST" + struct.pack("<I", 5) + b"INFO!" + b"\0"  # odd-sized chunk, padded
    body += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def picture_bytes(image_format: str = "PNG", size: tuple[int, int] = (48, 32)) -> bytes:
    """A plain one-colour picture, for tests that only pass it along."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 90)).save(buffer, image_format)
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decoded(encoded: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(encoded)))
    image.load()
    return image
