"""Images are decoded and re-encoded, never trusted by name or content type."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from playground.media.image_check import MAX_SIDE, image_check
from playground.media.limits import UploadRefused
from tests.media import files

# The multiplication sign replies and notes use, as in "640 by 480".
BY = "\u00d7"

LIMIT = 10 * 1024 * 1024


def checked(data: bytes):
    return image_check(io.BytesIO(data), max_bytes=LIMIT)


def reopened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refusal(data: bytes) -> str:
    with pytest.raises(UploadRefused) as refused:
        checked(data)
    return str(refused.value)


def test_it_keeps_a_plain_png_as_the_same_pixels_in_png() -> None:
    result = checked(files.picture((64, 48)))

    assert (result.mime_type, result.width, result.height) == ("image/png", 64, 48)
    assert reopened(result.data).getpixel((0, 0)) == Image.open(
        io.BytesIO(files.picture((64, 48)))
    ).getpixel((0, 0))
    assert result.notes == ()


def test_it_turns_a_photo_upright_by_its_exif_orientation() -> None:
    # Orientation 6: the camera was turned; the stored 60 by 30 picture is shown 30 by 60.
    result = checked(files.jpeg_with_exif(orientation=6))

    stored = reopened(result.data)
    assert (result.width, result.height) == (30, 60) == stored.size
    top, bottom = stored.getpixel((15, 5)), stored.getpixel((15, 55))
    assert top[0] < 60 and top[2] > 200  # the blue half is now on top
    assert bottom[0] > 200 and bottom[2] < 60
    assert "turned upright (EXIF orientation 6)" in result.notes


def test_it_drops_exif_with_the_location_and_the_colour_profile() -> None:
    result = checked(files.jpeg_with_exif(orientation=1))

    stored = reopened(result.data)
    assert result.mime_type == "image/jpeg"
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info and "icc_profile" not in stored.info
    assert b"Lovelace" not in result.data and b"Test Camera" not in result.data


def test_it_converts_a_cmyk_jpeg_to_rgb() -> None:
    result = checked(files.cmyk_jpeg())

    stored = reopened(result.data)
    assert stored.mode == "RGB"
    red, green, blue = stored.getpixel((5, 5))
    assert red > 200 and green < 60 and blue < 60
    assert "converted from CMYK to RGB" in result.notes


def test_it_reduces_a_16_bit_image_to_8_bit_keeping_its_brightness() -> None:
    result = checked(files.sixteen_bit_png(value=40000))

    stored = reopened(result.data)
    assert stored.mode == "L"
    assert stored.getpixel((3, 3)) == 40000 // 256
    assert "reduced from 16-bit to 8-bit grey" in result.notes


def test_it_keeps_palette_transparency_as_an_rgba_png() -> None:
    result = checked(files.palette_png_with_transparency())

    stored = reopened(result.data)
    assert result.mime_type == "image/png" and stored.mode == "RGBA"
    assert stored.getpixel((2, 2))[3] == 255 and stored.getpixel((12, 2))[3] == 0


def test_it_keeps_the_main_picture_of_a_multi_picture_jpeg() -> None:
    main, depth = Image.new("RGB", (40, 20), (0, 200, 0)), Image.new("RGB", (40, 20), "white")
    buffer = io.BytesIO()
    main.save(buffer, "MPO", save_all=True, append_images=[depth])

    result = checked(buffer.getvalue())

    assert reopened(result.data).getpixel((5, 5))[1] > 150
    assert "kept the main picture of a multi-picture JPEG" in result.notes


def test_it_scales_a_large_picture_to_the_maximum_side() -> None:
    result = checked(files.picture((4000, 1000)))

    assert (result.width, result.height) == (MAX_SIDE, MAX_SIDE // 4)
    assert f"scaled down from 4000{BY}1000" in result.notes


def test_it_stores_a_big_photo_saved_as_png_as_jpeg_instead() -> None:
    result = checked(files.noise_png((1500, 1500)))

    assert result.mime_type == "image/jpeg"
    assert any(note.startswith("saved as JPEG") for note in result.notes)


def test_it_makes_a_small_webp_thumbnail() -> None:
    thumbnail = reopened(checked(files.picture((1200, 600))).thumbnail)

    assert thumbnail.format == "WEBP" and thumbnail.size == (320, 160)


@pytest.mark.parametrize(
    ("claimed", "reason"),
    [
        ((30_000, 30_000), "past Pillow's own hard limit"),
        ((10_000, 9_000), "past Pillow's warning, treated as an error"),
        ((8_000, 6_000), "past the playground's lower limit"),
    ],
)
def test_it_refuses_a_decompression_bomb_before_decoding_it(claimed, reason) -> None:
    message = refusal(files.png_claiming(*claimed))

    assert "too many pixels" in message and "40 megapixels" in message, reason


def test_it_refuses_a_real_picture_with_too_many_pixels() -> None:
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")  # 48 MP of white, a few KB on disk

    assert f"too many pixels (8,000{BY}6,000)" in refusal(buffer.getvalue())


def test_it_refuses_an_animated_gif() -> None:
    assert "3 frames (animated or multi-page)" in refusal(files.animated_gif(3))


def test_it_refuses_a_multi_page_tiff() -> None:
    assert "2 frames" in refusal(files.multipage_tiff())


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_it_refuses_a_truncated_picture(image_format: str) -> None:
    buffer = io.BytesIO()
    Image.frombytes("RGB", (200, 200), bytes(range(256)) * 468 + b"\0" * 192).save(
        buffer, image_format
    )
    cut = buffer.getvalue()[: buffer.tell() // 2]

    assert "damaged or cut short" in refusal(cut)


def test_it_refuses_a_file_that_is_no_picture() -> None:
    assert "not an image we can read" in refusal(b"Just some text, saved as photo.png\n" * 10)
