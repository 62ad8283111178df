"""All randomness flows from here: seed text -> numpy Generator, and drawing from a distribution.

RFC 3797 turns numbers published by public sources (lottery results, dice) into a key and
picks from it, so anyone can recompute a draw (used by the committed lottery of issue 3).

A seed is any text ("2026", "lotería Renca 2026-11-23"). It is hashed with SHA-256 into the
state of numpy's PCG64, whose output is the same on every platform, so a seed fixes a draw
forever, whatever PYTHONHASHSEED or the machine.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sortition.distribution import Distribution
from sortition.errors import UsageError

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
    """Independent streams for the uses of randomness in a selection."""

    algorithm: np.random.Generator  # e.g. LEGACY's greedy draws
    draw: np.random.Generator  # choosing the panel from the distribution
    reserves: np.random.Generator  # tie-breaks when ranking reserves


def streams_from_seed(seed: str) -> RandomStreams:
    # Children of a SeedSequence depend only on their index: adding a third stream leaves the
    # first two (and so every earlier draw) unchanged.
    algorithm, draw, reserves = _seed_sequence(seed).spawn(3)
    return RandomStreams(
        np.random.Generator(np.random.PCG64(algorithm)),
        np.random.Generator(np.random.PCG64(draw)),
        np.random.Generator(np.random.PCG64(reserves)),
    )


def check_seed(seed: str | None) -> None:
    """Refuse a seed that is empty or only spaces: typed as --seed "$SEED" with the shell
    variable unset, it would give a draw anyone can predict. None (no seed) is fine."""
    if seed is not None and not seed.strip():
        raise UsageError(
            "the seed is empty" if not seed else f"the seed {seed!r} holds only spaces",
            hint='give a seed text, e.g. --seed 2026; if you wrote --seed "$SEED", that shell '
            "variable is unset or empty (leave out --seed to have a seed generated)",
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
    index, u = pick_index(distribution.probabilities, rng)
    return Draw(index, u, distribution.realize(index, u))


def pick_index(
    probabilities: Sequence[float] | np.ndarray, rng: np.random.Generator
) -> tuple[int, float]:
    """The drawn panel index (first cumulative probability above r) and the rotation number u."""
    cumulative = np.cumsum(np.asarray(probabilities, dtype=np.float64))
    r = float(rng.random()) * float(cumulative[-1])
    index = min(int(np.searchsorted(cumulative, r, side="right")), len(cumulative) - 1)
    return index, float(rng.random())


def rfc3797_key(sources: Sequence[str]) -> str:
    """The RFC 3797 key from public random sources, in the order given.

    Each source is one or more non-negative integers (separated by spaces or commas); its numbers
    are sorted ascending, each followed by "." (leading zeros dropped), and the source ends "/".
    """
    if not sources:
        raise UsageError(
            "at least one public source of random numbers is needed",
            hint="pass --source with the published numbers",
        )
    parts = []
    for source in sources:
        tokens = source.replace(",", " ").split()
        if not tokens or not all(t.isdigit() for t in tokens):
            raise UsageError(
                f"public source {source!r} is not a list of whole numbers",
                hint="give each source as numbers, e.g. --source '17 20 22 35'",
            )
        numbers = sorted(int(t) for t in tokens)
        parts.append("".join(f"{n}." for n in numbers) + "/")
    return "".join(parts)


def rfc3797_selection(key: str, pool_size: int, count: int) -> list[int]:
    """RFC 3797 picks: 1-based positions, in order, among items 1..pool_size published in order.

    Pick i: h = MD5(i as 2 bytes big-endian + key + i again) as an unsigned big-endian integer;
    the item at position (h mod remaining) + 1 among those not yet picked is taken.
    """
    if not 0 <= count <= pool_size or count > 65536:
        raise UsageError(f"cannot pick {count} of {pool_size} items")
    remaining = list(range(1, pool_size + 1))
    encoded = key.encode("ascii")
    picks = []
    for i in range(count):
        counter = i.to_bytes(2, "big")
        h = int.from_bytes(hashlib.md5(counter + encoded + counter).digest(), "big")
        picks.append(remaining.pop(h % len(remaining)))
    return picks
