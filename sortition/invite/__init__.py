"""Stage one of a two-stage process: the invitation lottery over an address or resident register.

N invitations are drawn from a register (CSV, one row per resident, an id column) so that every
resident has the same chance, up to rounding within strata. The procedure, which anyone can
recompute from the register, the options and the seed (`verify_invitations` does):

1. Strata. Each row's stratum is its cells in the strata columns, surrounding spaces removed,
   compared exactly (no strata columns: one stratum, the key []). Strata are ordered by key,
   compared column by column in Unicode code point order. Two keys that differ only in case,
   accents' composition or inner spaces are refused, as is a blank cell.
2. Allocation (largest remainder, Hamilton). With population P and N_s residents in stratum s,
   s gets floor(N * N_s / P) invitations; the invitations left over go one each to the largest
   remainders (N * N_s mod P, exact integers). Equal remainders go to the larger stratum first,
   then to the stratum that comes first in key order. Every n_s is the floor or ceiling of
   N * N_s / P, so each resident's inclusion probability n_s / N_s is within 1 / N_s of N / P.
3. Seed. Either the seed text given or generated (`new_seed`), or, with public sources, the RFC
   3797 key of the sources (`rfc3797_key`) used as the seed text itself.
4. Sampling, stratum by stratum. Stratum s gets its own generator, `generator_from_seed(seed +
   "|" + key)`, where key is the stratum's key as compact JSON (e.g. '["Renca"]' or '[]'): the
   SHA-256 of b"sortition/seed/v1\\x00" + that text (UTF-8) seeds numpy's PCG64 (see
   sortition.randomness). Its residents, in register order, are given one number each from
   `Generator.random(N_s)` (uniform on [0, 1)); the n_s residents with the smallest numbers are
   invited (equal numbers: the earlier row first). Each stratum's draw is thus a uniform simple
   random sample without replacement that no other stratum's rows can influence.

Reading is built for registers of millions of rows: only the id and strata columns are parsed
(pandas' C parser) and every check is vectorized. The invited rows are then cut from the file's
bytes, or, when a quoted cell spans lines, picked out by a second streaming parse.

The invitations file carries every column (addresses, for mailing) and is not for publication;
the invitation log holds ids, stratum keys and counts only, and is meant to be published. When
the id column is personal (e-mails, phones, names, identity numbers, or marked so), the log lists
pseudonyms instead (`sortition.inputs.privacy`, keyed over the register's bytes) and the invitations
file gets a last column ``pseudonym`` linking each row to the log.

The package, one module per step: `register` (reading and checking the register), `draw`
(allocation, seed and sample; `invite`), `log` (the publishable invitation log), `output` (the
invitations file and writing both files) and `verify` (`verify_invitations`). The names below
are the package's public API.
"""

from sortition.invite.draw import (
    BadInvitationCount,
    Invitations,
    InviteRequest,
    Randomness,
    Stratum,
    allocate,
    invite,
    resolve_randomness,
    sample,
    stratum_seed,
)
from sortition.invite.log import LOG_KIND, MAX_STRATA_SHOWN, invitation_log
from sortition.invite.output import (
    check_invitation_outputs,
    default_log_path,
    invitation_files,
    invitations_csv,
    invited_rows,
    write_invitations,
)
from sortition.invite.register import BlankStratum, Register, read_register
from sortition.invite.verify import InvitationCheck, verify_invitations

__all__ = [
    "LOG_KIND",
    "MAX_STRATA_SHOWN",
    "BadInvitationCount",
    "BlankStratum",
    "InvitationCheck",
    "Invitations",
    "InviteRequest",
    "Randomness",
    "Register",
    "Stratum",
    "allocate",
    "check_invitation_outputs",
    "default_log_path",
    "invitation_files",
    "invitation_log",
    "invitations_csv",
    "invite",
    "invited_rows",
    "read_register",
    "resolve_randomness",
    "sample",
    "stratum_seed",
    "verify_invitations",
    "write_invitations",
]
