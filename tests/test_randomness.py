"""Seeds, random streams, drawing from a distribution, and the RFC 3797 procedure."""

import subprocess
import sys

import numpy as np
import pytest

from sortition.errors import UsageError
from sortition.randomness import (
    generator_from_seed,
    new_seed,
    rfc3797_key,
    rfc3797_selection,
    streams_from_seed,
)

RFC_SOURCES = ["17 20 22 35 36 38 48", "90193202", "55598744", "9 10 11 17 21 48 50"]


def test_rfc3797_worked_example_key_and_first_twelve_picks() -> None:
    key = rfc3797_key(RFC_SOURCES)
    assert key == "17.20.22.35.36.38.48./90193202./55598744./9.10.11.17.21.48.50./"
    assert rfc3797_selection(key, 134, 12) == [90, 25, 92, 126, 24, 31, 122, 96, 81, 132, 2, 41]


def test_rfc3797_key_sorts_numbers_and_drops_leading_zeros() -> None:
    assert rfc3797_key(["48, 007 20"]) == "7.20.48./"


@pytest.mark.parametrize("sources", [[], ["12 x"], [""]])
def test_rfc3797_rejects_bad_sources(sources: list[str]) -> None:
    with pytest.raises(UsageError):
        rfc3797_key(sources)


def test_rfc3797_picks_are_distinct_and_cover_the_pool() -> None:
    picks = rfc3797_selection(rfc3797_key(["1 2 3"]), 10, 10)
    assert sorted(picks) == list(range(1, 11))


def test_same_seed_same_numbers_and_streams_are_independent() -> None:
    assert generator_from_seed("Renca 2026").random() == generator_from_seed("Renca 2026").random()
    assert generator_from_seed("a").random() != generator_from_seed("b").random()
    streams = streams_from_seed("x")
    assert streams.algorithm.random() != streams.draw.random()


def test_seed_numbers_do_not_depend_on_the_hash_seed() -> None:
    code = "from sortition.randomness import generator_from_seed as g; print(g('Ñuñoa').random())"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for seed in ("0", "4242")
    }
    assert len(outputs) == 1


def test_generated_seeds_are_twelve_digits_and_differ() -> None:
    seeds = {new_seed() for _ in range(20)}
    assert all(len(s) == 12 and s.isdigit() for s in seeds)
    assert len(seeds) > 1


def test_generator_is_numpy_pcg64() -> None:
    assert isinstance(generator_from_seed("1").bit_generator, np.random.PCG64)
