"""Similarity, nearest neighbours, the heatmap's layout, and reading texts from files."""

from __future__ import annotations

import pytest

from playground.embeddings.similarity import (
    heatmap,
    nearest_neighbours,
    reads_dark,
    scale_colour,
    similarity_matrix,
)
from playground.embeddings.texts import TextsRefused, texts_from_file


def test_cosine_similarity_ignores_length_and_finds_neighbours() -> None:
    matrix = similarity_matrix([(1.0, 0.0), (10.0, 1.0), (0.0, 3.0)])

    assert matrix[0][0] == matrix[2][2] == 1.0
    assert matrix[0][1] == pytest.approx(0.995, abs=1e-3)
    assert matrix[0][2] == pytest.approx(0.0)
    assert nearest_neighbours(matrix) == [(1, matrix[0][1]), (0, matrix[1][0]), (1, matrix[2][1])]
    assert nearest_neighbours(similarity_matrix([(1.0,)])) == [None]


def test_the_heatmap_has_a_cell_per_pair_and_stays_readable_at_fifty() -> None:
    texts = [f"text number {n} with some words" for n in range(50)]
    matrix = [[1.0 if r == c else 0.1 * ((r + c) % 7) for c in range(50)] for r in range(50)]

    drawn = heatmap(matrix, texts)

    assert len(drawn.cells) == 2500
    assert drawn.cell >= 14
    assert not drawn.show_values
    assert drawn.row_labels[49].text.startswith("text number 49")
    assert len({(cell.x, cell.y) for cell in drawn.cells}) == 2500
    assert drawn.width >= drawn.left + 50 * drawn.cell


def test_small_heatmaps_print_their_values_in_ink_that_reads() -> None:
    drawn = heatmap([[1.0, 0.2], [0.2, 1.0]], ["a", "b"])

    assert drawn.show_values
    assert drawn.low == pytest.approx(0.2)
    brightest = next(cell for cell in drawn.cells if cell.value == 1.0)
    darkest = next(cell for cell in drawn.cells if cell.value == 0.2)
    assert brightest.ink == "#111111" and darkest.ink == "#ffffff"
    assert reads_dark(scale_colour(1.0)) and not reads_dark(scale_colour(0.0))


def test_a_csv_without_a_text_header_uses_its_first_column() -> None:
    assert texts_from_file("a.csv", b"alpha,1\nbeta,2\n") == ["alpha", "beta"]
    assert texts_from_file("a.csv", b"n,Text\n1,alpha\n2,beta\n") == ["alpha", "beta"]
    assert texts_from_file("a.txt", b"\xef\xbb\xbfone\n\ntwo\n") == ["one", "two"]


def test_a_file_too_big_or_binary_is_refused() -> None:
    with pytest.raises(TextsRefused, match="larger than 1 MB"):
        texts_from_file("big.txt", b"x" * (1024 * 1024 + 1))
    with pytest.raises(TextsRefused, match="not a text file"):
        texts_from_file("bin.txt", b"abc\x00def")
