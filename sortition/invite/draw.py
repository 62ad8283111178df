"""The draw of the invitation lottery: allocation by stratum, the seed, and the seeded sample.

Owns steps 2 to 4 of the procedure (see `sortition.invite`): `allocate` (largest remainder),
`resolve_randomness` (given, generated or RFC 3797 seed), `sample` (one generator per stratum,
the n_s smallest uniform numbers) and `invite`, which runs them over a read register. The rule
texts `ALLOCATION_RULE` and `SAMPLING_RULE`, published in the invitation log, sit beside the code
they describe. `verify_invitations` recomputes the draw with these same functions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sortition.errors import BadPanelSize, Location, UsageError
from sortition.inputs.privacy import Pseudonyms, register_pseudonyms, to_pseudonyms
from sortition.invite.register import Register, read_register
from sortition.randomness import check_seed, generator_from_seed, new_seed, rfc3797_key
from sortition.text import quoted_path

ALLOCATION_RULE = (
    "Largest remainder (Hamilton): stratum s with N_s of the P residents gets floor(N * N_s / P) "
    "invitations; those left over go one each to the largest remainders N * N_s mod P; equal "
    "remainders go to the larger stratum, then to the stratum first in key order (keys compared "
    "column by column in Unicode code point order)."
)
SAMPLING_RULE = (
    "Stratum s draws with numpy.random.Generator(PCG64) seeded by the SHA-256 of "
    "b'sortition/seed/v1\\x00' + UTF-8 of (seed + '|' + compact JSON of the stratum key, e.g. "
    "'[\"Renca\"]'), as in sortition.randomness.generator_from_seed; its residents in register "
    "order get the numbers Generator.random(N_s) and the n_s with the smallest numbers are "
    "invited (ties: earlier row first)."
)


class BadInvitationCount(BadPanelSize):
    """Fewer than one invitation, or more than the register has residents (exit code 2)."""


@dataclass(frozen=True)
class Stratum:
    """One stratum's key, population and invitations."""

    key: tuple[str, ...]
    population: int
    invitations: int


@dataclass(frozen=True)
class Randomness:
    """Where the seed came from: given, generated, or the RFC 3797 key of public sources."""

    seed: str
    seed_source: str  # "given", "generated" or "rfc3797 key of the public sources"
    sources: tuple[str, ...] = ()

    @property
    def method(self) -> str:
        return "rfc3797" if self.sources else "seed"


@dataclass(frozen=True)
class InviteRequest:
    register_path: str
    invitations: int
    strata_columns: tuple[str, ...] = ()
    id_column: str = "id"
    seed: str | None = None
    sources: tuple[str, ...] = ()
    personal_columns: tuple[str, ...] = ()  # marked personal: an id column among them is hidden


@dataclass(frozen=True, eq=False)
class Invitations:
    """The draw: the register, the allocation, the randomness and the invited rows."""

    request: InviteRequest
    register: Register
    strata: tuple[Stratum, ...]
    randomness: Randomness
    invited: np.ndarray  # row indices into the register, ascending (register order)
    pseudonyms: Pseudonyms | None = None  # of the invited, when the id column is personal

    @property
    def invited_ids(self) -> list[str]:
        """Invited ids (pseudonyms when the id column is personal) in code point order, as
        logged."""
        ids = [str(person) for person in self.register.ids[self.invited].tolist()]
        return sorted(to_pseudonyms(ids, self.pseudonyms))


def allocate(populations: Sequence[int], invitations: int) -> tuple[int, ...]:
    """Invitations per stratum by largest remainder; strata given in key order (the tie-break).

    Exact integer arithmetic: floor(N * N_s / P) each, then one more to the largest remainders
    N * N_s mod P, equal remainders to the larger stratum, then the earlier one.
    """
    sizes = [int(p) for p in populations]
    total = sum(sizes)
    if invitations < 0 or any(p < 0 for p in sizes) or (total == 0 and invitations > 0):
        raise ValueError(f"cannot allocate {invitations} invitations over populations {sizes}")
    if total == 0:
        return tuple(0 for _ in sizes)
    shares = [invitations * p // total for p in sizes]
    remainders = [invitations * p % total for p in sizes]
    left = invitations - sum(shares)
    order = sorted(range(len(sizes)), key=lambda s: (-remainders[s], -sizes[s], s))
    for s in order[:left]:
        shares[s] += 1
    return tuple(shares)


def stratum_seed(seed: str, key: Sequence[str]) -> str:
    """The seed text of one stratum's generator: seed + '|' + the key as compact JSON."""
    return seed + "|" + json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))


def smallest(numbers: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` smallest numbers (equal numbers: earlier position), ascending."""
    if count >= len(numbers):
        return np.arange(len(numbers), dtype=np.int64)
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    threshold = np.partition(numbers, count - 1)[count - 1]
    below = np.flatnonzero(numbers < threshold)
    ties = np.flatnonzero(numbers == threshold)[: count - len(below)]
    return np.sort(np.concatenate([below, ties]))


def sample(register: Register, allocation: Sequence[int], seed: str) -> np.ndarray:
    """Row indices invited (ascending): in each stratum the n_s smallest of its random numbers."""
    kind = np.uint16 if len(register.strata) <= np.iinfo(np.uint16).max else np.int64
    members = np.argsort(register.stratum_of.astype(kind), kind="stable")
    bounds = np.concatenate([[0], np.cumsum(register.sizes)])
    chosen = []
    for s, (key, count) in enumerate(zip(register.strata, allocation, strict=True)):
        rows = members[bounds[s] : bounds[s + 1]]
        if count <= 0:
            continue
        numbers = generator_from_seed(stratum_seed(seed, key)).random(len(rows))
        chosen.append(rows[smallest(numbers, int(count))])
    if not chosen:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.concatenate(chosen)).astype(np.int64)


def resolve_randomness(seed: str | None, sources: Sequence[str]) -> Randomness:
    """The seed to draw with: given, from public sources (their RFC 3797 key), or generated."""
    if seed is not None and sources:
        raise UsageError(
            "give either --seed or --source, not both",
            hint="draw from a seed text, or from public random numbers",
        )
    if sources:
        return Randomness(rfc3797_key(sources), "rfc3797 key of the public sources", tuple(sources))
    if seed is not None:
        check_seed(seed)
        return Randomness(seed, "given")
    return Randomness(new_seed(), "generated")


def invite(request: InviteRequest) -> Invitations:
    """Read the register, allocate the invitations by stratum and draw them."""
    randomness = resolve_randomness(request.seed, request.sources)
    if request.invitations < 1:
        raise BadInvitationCount(
            f"the number of invitations must be at least 1 (got {request.invitations})",
            hint="pass --invitations with a positive whole number",
        )
    register = read_register(
        request.register_path,
        id_column=request.id_column,
        strata_columns=request.strata_columns,
    )
    if request.invitations > register.population:
        raise BadInvitationCount(
            f"{request.invitations} invitations asked for, but the register "
            f"{quoted_path(register.path)} has only {register.population} residents",
            location=Location(file=register.path),
            hint=f"pass --invitations of at most {register.population}",
        )
    allocation = allocate(register.sizes.tolist(), request.invitations)
    strata = tuple(
        Stratum(key, int(size), int(count))
        for key, size, count in zip(
            register.strata, register.sizes.tolist(), allocation, strict=True
        )
    )
    invited = sample(register, allocation, randomness.seed)
    pseudonyms = register_pseudonyms(
        register.header, register.id_column, register.ids, register.ids[invited].tolist(),
        register.data, request.personal_columns,
    )  # fmt: skip
    return Invitations(request, register, strata, randomness, invited, pseudonyms)
