"""English of what the command line prints on screen after a run (summaries, where the files
went, the seating's quality line); the command line's own language, so these are its words as
they always were (same keys as `sortition.i18n.es_cli`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---- select ----------------------------------------------------------------------------
    "cli.summary.selected": "Selected {k} of {n} registrants with {algorithm} (seed {seed}).",
    "cli.summary.seed_generated": "{seed} (generated; pass --seed {seed} to repeat this draw)",
    "cli.summary.feature": "feature",
    "cli.summary.value": "value",
    "cli.summary.min": "min",
    "cli.summary.max": "max",
    "cli.summary.selected_count": "selected",
    "cli.summary.completed": "completed panel",
    "cli.summary.probabilities": (
        "Selection probabilities ({kind}, over {panels} panels): min {min}, max {max}, "
        "fair share k/n {share}, gini {gini}."
    ),
    "cli.kind.exact": "exact",
    "cli.summary.ids": "Selected ids: {ids}",
    "cli.summary.correction": (
        "Self-selection corrected on {categories} ({passes} raking passes). End-to-end chances "
        "across residents, highest/lowest and coefficient of variation: with equal chances "
        "{before_ratio} and {before_variation}; with this lottery {after_ratio} and "
        "{after_variation}."
    ),
    "cli.summary.reserves": "Reserves, in order: {ids}",
    "cli.summary.reserves_repair": (
        "They can repair {singles_repaired} of {singles} single dropouts ({single_share}) and "
        "{doubles_repaired} of {doubles} double dropouts ({double_share})."
    ),
    "cli.summary.wrote": "Wrote the results to {out}/.",
    "cli.summary.panel_heading": "=== Panel {number} of {panels} ===",
    "cli.summary.wrote_panels": "Wrote panel-1 ... panel-{panels} to {out}/.",
    "cli.where.publish": "Publish: {folders}",
    "cli.where.private": "Keep private (personal data): {folders}",
    # ---- check -----------------------------------------------------------------------------
    "cli.check.feasible": "Feasible: a panel of {k} from {n} registrants can meet every quota.",
    "cli.check.feasible_households": (
        "Feasible: a panel of {k} from {n} registrants can meet every quota and household rule."
    ),
    "cli.check.infeasible": "Infeasible: no panel of {k} meets every quota.",
    "cli.check.no_relaxation": (
        "No change of the quotas within their flex limits makes a panel possible."
    ),
    "cli.check.relaxation": "Smallest relaxation: {cost} unit(s) of quota change.",
    "cli.check.old_min": "old min",
    "cli.check.old_max": "old max",
    "cli.check.new_min": "new min",
    "cli.check.new_max": "new max",
    "cli.check.corrected": "Corrected quota table (CSV):",
    "cli.check.written": "Written to {path}.",
    "cli.duplicates.no_columns": (
        "No e-mail or phone column found; pass --contact-columns to look for duplicates."
    ),
    "cli.duplicates.none": "No duplicate registrations (compared {columns}).",
    "cli.duplicates.groups": "{count} group(s) of registrants share contact details:",
    "cli.duplicates.group": "- rows {rows} (ids {ids}): {shared}",
    "cli.duplicates.refused": (
        "select and lottery refuse to draw until resolved, unless --allow-duplicates."
    ),
    # ---- quotas from the census ------------------------------------------------------------
    "cli.census.heading": (
        "Quotas for a panel of {k} from {file} ({who}{where}; largest remainder, tolerance "
        "{tolerance}):"
    ),
    "cli.census.everyone": "everyone counted",
    "cli.census.adults": "ages {age} and over",
    "cli.census.where": ", {column} = {values}",
    "cli.census.or": " or ",
    "cli.census.partial": (
        "Census band {band} counted as {share} of its count (ages uniform in a band)."
    ),
    "cli.census.population": "population",
    "cli.census.share": "share",
    "cli.census.exact": "exact",
    "cli.census.seats": "seats",
    "cli.census.wrote": "Wrote {path}.",
    # ---- invitations -----------------------------------------------------------------------
    "cli.invite.stratified": (
        "{invitations} invitations drawn from {population} residents of {path}, stratified by "
        "{columns} ({strata} strata, largest remainder)."
    ),
    "cli.invite.unstratified": (
        "{invitations} invitations drawn from {population} residents of {path}, unstratified."
    ),
    "cli.invite.key": "Random numbers: RFC 3797 key {seed} of the public sources.",
    "cli.invite.generated": (
        "Random numbers: seed {seed} (generated; pass --seed {seed} to repeat the draw)."
    ),
    "cli.invite.given": "Random numbers: seed {seed} (given).",
    "cli.invite.probability": (
        "Inclusion probability: {overall} overall; by stratum from {low} to {high}."
    ),
    "cli.invite.population": "population",
    "cli.invite.invitations": "invitations",
    "cli.invite.probability_header": "probability",
    "cli.invite.in_log": "The allocation over all {strata} strata is in the log.",
    "cli.invite.wrote": "Wrote {out} and {log}.",
    "cli.invite.publish": "Publish: {log} (ids, strata and counts only).",
    "cli.invite.private": (
        "Keep private (personal data): {out} (every register column, for mailing; never publish "
        "it)."
    ),
    # ---- lottery and draw ------------------------------------------------------------------
    "cli.lottery.written": "Lottery of {tickets} tickets written to {path}.",
    "cli.lottery.fingerprint": "Fingerprint (SHA-256): {fingerprint}",
    "cli.lottery.target": "Target probabilities ({algorithm}, {kind}): min {min}, max {max}.",
    "cli.lottery.shares": (
        "Ticket shares: min {min}, max {max}; largest difference from the target {deviation}; "
        "registrants with a positive target but no ticket: {unrepresented}."
    ),
    "cli.lottery.statement_heading": "Statement to publish before the draw:",
    "cli.lottery.publish": "Publish: {path} (no personal data).",
    "cli.draw.key": "Key (RFC 3797): {key}",
    "cli.draw.ticket": "Winning ticket: {ticket} of {tickets} (lottery {fingerprint}...).",
    "cli.draw.reserves": "Reserve tickets, in order: {tickets}",
    "cli.draw.pseudonyms": (
        "The lottery lists pseudonymous ids (its id column holds personal data); pass --pool "
        "with the pool to write the real ids in the private files."
    ),
    # ---- replace ---------------------------------------------------------------------------
    "cli.replace.wave": (
        "Replacement {number} of this draw: the panel as the earlier replacement(s) left it; "
        "{drawn} people drawn before cannot be drawn again."
    ),
    "cli.replace.dropouts": "Dropouts: {ids}",
    "cli.replace.replacements": "Replacements ({algorithm}, seed {seed}, {source}): {ids}",
    "cli.replace.source.given": "given",
    "cli.replace.source.generated": "generated",
    "cli.replace.source.rfc3797 key of the public sources": "rfc3797 key of the public sources",
    "cli.replace.eligible": (
        "Eligible: {count} registrants (not drawn, not living with a remaining member, no value "
        "already at its maximum)."
    ),
    # ---- tables ----------------------------------------------------------------------------
    "cli.tables.seed": "Seed: {seed} (pass --seed {seed} to repeat this seating)",
    "cli.tables.seated": (
        "Seated {members} members at {tables} tables of {sizes} for {rounds} round(s) in "
        "{seconds} s {how}"
    ),
    "cli.tables.size_or": " or ",
    "cli.tables.greedy": "(greedy).",
    "cli.tables.search": "(search: {stopped}).",
    "cli.tables.stopped.lower bound reached": "lower bound reached",
    "cli.tables.stopped.no improvement": "no improvement",
    "cli.tables.stopped.step limit": "step limit",
    "cli.tables.stopped.time limit": "time limit",
    "cli.tables.start": (
        "Greedy start: {outside} outside floor/ceiling, {repeats} repeated pairs; now "
        "{outside_now} and {repeats_now}."
    ),
    "cli.tables.time_limited": (
        "Note: the time limit stopped the search, so this seating depends on the machine's "
        "speed as well as the seed."
    ),
    "cli.tables.which": (
        "repeats.csv lists the {pairs} pair(s) who meet again, with the rounds; on the round "
        "pages each table's card names them."
    ),
    "cli.tables.which_more": (
        "repeats.csv lists the {pairs} pair(s) who meet again, with the rounds (a pair meeting "
        "three times counts twice above); on the round pages each table's card names them."
    ),
    "cli.tables.fewer": (
        "Each balanced column keeps every table close to the panel's make-up, which leaves few "
        "ways to seat people who have not met yet; for fewer repeated pairs, balance fewer "
        "columns (--spread the others) or seat fewer rounds."
    ),
    "cli.tables.earlier": (
        "Rounds already held: {held} (from {file}), where {seated} of the {members} members sat "
        "({new} new since); no longer on the panel: {left} of those who sat there. This seating "
        "is rounds {first}-{last}; its repeated pairs count the held rounds too."
    ),
    "cli.tables.absent": (
        "Absent from rounds {first}-{last}: {count} member(s), {ids}. They are not seated; the "
        "tables are balanced among those who attend, and tables.csv keeps their earlier rounds "
        "for when they come back."
    ),
    "cli.tables.absent_more": "{ids} and {more} more",
    "cli.tables.wrote": (
        "Wrote tables.csv, members.csv, members.xlsx, summary.csv, repeats.csv and "
        "round-{first}..{last}.html to {out}/."
    ),
    "cli.quality.line": "Quality: {parts}",
    "cli.quality.repeats": "repeated pairs {repeats} ({bound})",
    "cli.quality.optimal": "lower bound {bound}, optimal",
    "cli.quality.above": "lower bound {bound}, {gap} above it",
    "cli.quality.worst": "worst table outside floor/ceiling: {worst}",
    "cli.quality.none": "none",
    "cli.quality.spread": "spread: {spread}",
    "cli.quality.broken": "RULES BROKEN: {rules}",
    "cli.quality.rules": "rules met: {together} keep-together, {apart} keep-apart",
    "cli.quality.sizes": "rules met (sizes differ by at most one)",
    "cli.serve.folder": "sortition serve: work folder {folder}",
    "cli.serve.network": (
        "Listening on {host}, reachable from the network: every visit needs the access token. "
        "Open this address once (it is printed only now):"
    ),
    "cli.serve.open": "Open this address in a browser (Ctrl-C stops the server):",
}
