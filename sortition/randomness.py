"""All randomness flows from here: seed text -> numpy Generator, and drawing from a distribution.

A seed is any text ("2026", "lotería Renca 2026-11-23"). It is hashed with SHA-256 into the
state of numpy's PCG64, whose output is the same on every platform, so a seed fixes a draw
forever, whatever PYTHONHASHSEED or the machine.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import numpy as np

from sortition.distribution import Distribution

SEED_DOMAIN = b"sortition/seed/v1\x00"


def _seed_sequence(seed: str) -> np.random.SeedSequence:
    digest = hashlib.sha256(SEED_DOMAIN + seed.encode("utf-8")).digest()
    words = np.frombuffer(digest, dtype="<u4").astype(np.uint64)
    return np.random.SeedSequence(words.tolist())


def generator_from_seed(seed: str) -> np.random.Generator:
    """A fresh Generator determined by the seed text alone."""
    return np.random.Generator(np.random.PCG64(_seed_sequence(seed)))


@dataclass(frozen=True)
class RandomStreams:
    """Independent streams for the two uses of randomness in a selection."""

    algorithm: np.random.Generator  # e.g. LEGACY's greedy draws
    draw: np.random.Generator  # choosing the panel from the distribution


def streams_from_seed(seed: str) -> RandomStreams:
    algorithm, draw = _seed_sequence(seed).spawn(2)
    return RandomStreams(
        np.random.Generator(np.random.PCG64(algorithm)), np.random.Generator(np.random.PCG64(draw))
    )


def new_seed() -> str:
    """A fresh 12-digit seed from the operating system's entropy, to print and log."""
    return str(secrets.randbelow(9 * 10**11) + 10**11)


@dataclass(frozen=True)
class Draw:
    """Which panel was drawn: the composition index, the rotation number u, the people."""

    panel_index: int
    u: float
    panel: np.ndarray  # sorted person indices


def draw_panel(distribution: Distribution, rng: np.random.Generator) -> Draw:
    """Pick a composition with its probability, then people within groups by rotation."""
    cumulative = np.cumsum(distribution.probabilities)
    r = float(rng.random()) * float(cumulative[-1])
    index = min(int(np.searchsorted(cumulative, r, side="right")), len(cumulative) - 1)
    u = float(rng.random())
    return Draw(index, u, distribution.realize(index, u))
