"""Plain-text summaries for people: quota tables with targets and achieved counts, probabilities."""

from __future__ import annotations

from pathlib import Path

from sortition.audit.log import quota_record
from sortition.audit.verify import VerificationReport
from sortition.i18n import Translator
from sortition.inputs.duplicates import DuplicateGroup
from sortition.process.draw import TicketDraw
from sortition.process.publish import Lottery, lottery_statement
from sortition.process.replace import Replacement
from sortition.process.replace_log import completed_quotas as replacement_log_quotas
from sortition.process.selection import Selection
from sortition.process.self_selection import spreads
from sortition.text import table


def selection_summary(selection: Selection) -> str:
    """What `sortition select` prints: the panel, the quotas met, and the fairness figures."""
    instance = selection.loaded.instance
    fairness = selection.fairness
    quota_rows = [
        [row["feature"], row["value"], row["min"], row["max"], row["selected"]]
        for row in quota_record(instance, selection.draw.panel)
    ]
    distribution = selection.distribution
    kind = distribution.label  # exact, within gap G, or estimated from N draws
    seed_note = (
        f"{selection.seed} (generated; pass --seed {selection.seed} to repeat this draw)"
        if selection.seed_generated
        else selection.seed
    )
    parts = [
        f"Selected {len(selection.draw.panel)} of {instance.size} registrants "
        f"with {distribution.algorithm} (seed {seed_note}).",
        "",
        table(["feature", "value", "min", "max", "selected"], quota_rows),
        "",
        f"Selection probabilities ({kind}, over {distribution.num_panels} panels): "
        f"min {fairness.minimum:.6f}, max {fairness.maximum:.6f}, "
        f"fair share k/n {instance.panel_size / instance.size:.6f}, gini {fairness.gini:.4f}.",
        "",
        "Selected ids: " + ", ".join(selection.selected_ids),
    ]
    if selection.correction is not None:
        before, after = spreads(selection.correction, selection.marginals)
        parts += [
            "",
            "Self-selection corrected on "
            + ", ".join(selection.correction.categories)
            + f" ({selection.correction.raking_rounds} raking passes). End-to-end chances across "
            "residents, highest/lowest and coefficient of variation: with equal chances "
            f"{before.ratio:.2f} and {before.variation:.3f}; with this lottery {after.ratio:.2f} "
            f"and {after.variation:.3f}.",
        ]
    reserves = selection.reserves
    if reserves is not None:
        ids = selection.loaded.instance.ids
        parts += [
            "",
            "Reserves, in order: " + ", ".join(ids[i] for i in reserves.people),
            f"They can repair {reserves.singles_repaired} of {reserves.singles} single dropouts "
            f"({reserves.single_coverage:.1%}) and {reserves.doubles_repaired} of "
            f"{reserves.doubles} double dropouts ({reserves.double_coverage:.1%}).",
        ]
    return "\n".join(parts)


def lottery_summary(lottery: Lottery, out_path: str, lang: str = "en") -> str:
    """What `sortition lottery` prints: the fingerprint, rounding figures, the statement (the
    statement, which is published, in `lang`)."""
    tickets = lottery.tickets
    fairness = lottery.record["fairness"]
    return "\n".join(
        [
            f"Lottery of {tickets.num_tickets} tickets written to {out_path}.",
            f"Fingerprint (SHA-256): {lottery.fingerprint}",
            "",
            f"Target probabilities ({lottery.distribution.algorithm}, "
            f"{lottery.distribution.label}): "
            f"min {fairness['target']['min_probability']:.6f}, "
            f"max {fairness['target']['max_probability']:.6f}.",
            f"Ticket shares: min {fairness['tickets']['min_probability']:.6f}, "
            f"max {fairness['tickets']['max_probability']:.6f}; largest difference from the "
            f"target {tickets.max_deviation:.6f}; registrants with a positive target but no "
            f"ticket: {tickets.unrepresented}.",
            "",
            "Statement to publish before the draw:",
            "",
            lottery_statement(lottery, Path(out_path).name, lang),
        ]
    )


def draw_summary(draw: TicketDraw) -> str:
    """What `sortition draw` prints: key, ticket, reserves, the quota table and the panel."""
    quota_rows = [
        [row["feature"], row["value"], row["min"], row["max"], row["selected"]]
        for row in quota_record(draw.instance, draw.panel)
    ]
    num_tickets = len(draw.lottery["tickets"])
    parts = [
        f"Key (RFC 3797): {draw.key}",
        f"Winning ticket: {draw.ticket} of {num_tickets} "
        f"(lottery {draw.lottery['fingerprint'][:16]}...).",
    ]
    if draw.reserves:
        parts.append("Reserve tickets, in order: " + ", ".join(map(str, draw.reserves)))
    parts += [
        "",
        table(["feature", "value", "min", "max", "selected"], quota_rows),
        "",
        "Selected ids: " + ", ".join(draw.selected_ids),
    ]
    return "\n".join(parts)


def verification_table(report: VerificationReport, lang: str = "en") -> str:
    """The pass/fail table `sortition verify` prints, with a verdict line; in Spanish with
    lang="es" (check names, statuses and details from the web app's catalogs). English keeps the
    CLI's own words: lower-case headers, PASS/FAIL/SKIP and the checks' names as they are."""
    t = Translator(lang)
    english = lang == "en"

    def name(check_name: str) -> str:
        key = f"check.{check_name}"
        return t(key) if not english and t.has(key) else check_name

    def status(value: str) -> str:
        return (value if english else t(f"verify.status.{value}")).upper()

    headers = (
        ["result", "check", "detail"]
        if english
        else [t("verify.result"), t("verify.check"), t("verify.detail")]
    )
    rows = [
        [status(check.status), name(check.name), t.library_text(check.detail) or check.detail]
        for check in report.checks
    ]
    failed = report.failed
    verdict = (
        t("verify.passed")
        if not failed
        else t(
            "verify.cli.failed",
            count=len(failed),
            names=", ".join(name(check.name) for check in failed),
        )
    )
    kind = t("verify.cli.committed" if report.committed else "verify.cli.seed")
    return "\n".join(
        [
            t("verify.cli.heading", path=report.request.log_path, kind=kind),
            "",
            table(headers, rows),
            "",
            verdict,
        ]
    )


def duplicates_summary(columns: tuple[str, ...], groups: tuple[DuplicateGroup, ...]) -> str:
    """What `check` says about duplicate registrations (terminal only: it shows contact values)."""
    if not columns:
        return "No e-mail or phone column found; pass --contact-columns to look for duplicates."
    if not groups:
        return f"No duplicate registrations (compared {', '.join(columns)})."
    lines = [f"{len(groups)} group(s) of registrants share contact details:"]
    for group in groups:
        shared = "; ".join(f"{'/'.join(v.columns)} {v.value}" for v in group.shared)
        rows = ", ".join(map(str, group.rows))
        lines.append(f"- rows {rows} (ids {', '.join(group.ids)}): {shared}")
    lines.append("select and lottery refuse to draw until resolved, unless --allow-duplicates.")
    return "\n".join(lines)


def replacement_summary(replacement: Replacement) -> str:
    """What `sortition replace` prints: who left, who joins, the completed panel's quotas."""
    block = replacement_log_quotas(replacement)
    rows = [[r["feature"], r["value"], r["min"], r["max"], r["selected"]] for r in block]
    seed = replacement.seed
    before = replacement.before
    wave = (
        [
            f"Replacement {len(before.earlier) + 1} of this draw: the panel as the earlier "
            f"replacement(s) left it; {len(before.drawn)} people drawn before cannot be drawn "
            "again."
        ]
        if before.earlier
        else []
    )
    return "\n".join(
        [
            *wave,
            f"Dropouts: {', '.join(replacement.dropouts)}",
            f"Replacements ({replacement.distribution.algorithm}, seed {seed}, "
            f"{replacement.seed_source}): {', '.join(replacement.replacement_ids)}",
            f"Eligible: {replacement.candidates.size} registrants (not drawn, not living with a "
            "remaining member, no value already at its maximum).",
            "",
            table(["feature", "value", "min", "max", "completed panel"], rows),
        ]
    )
