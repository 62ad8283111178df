"""Plain-text summaries for people: quota tables with targets and achieved counts, probabilities."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sortition.audit.log import INVITATION_LOG_KIND, quota_record
from sortition.audit.verify import VerificationReport
from sortition.i18n import Translator, screen_number, screen_percent
from sortition.inputs.duplicates import DuplicateGroup
from sortition.process.draw import TicketDraw
from sortition.process.publish import Lottery, lottery_statement
from sortition.process.replace import Replacement
from sortition.process.replace_log import completed_quotas as replacement_log_quotas
from sortition.process.selection import Selection
from sortition.process.self_selection import spreads
from sortition.text import table


def selection_summary(selection: Selection, lang: str = "en") -> str:
    """What `sortition select` prints: the panel, the quotas met, and the fairness figures (in
    `lang`; English is the command line's own wording)."""
    t = Translator(lang)
    instance = selection.loaded.instance
    fairness = selection.fairness
    distribution = selection.distribution
    kind = distribution.label  # exact, within gap G, or estimated from N draws
    seed_note = (
        t("cli.summary.seed_generated", seed=selection.seed)
        if selection.seed_generated
        else selection.seed
    )
    parts = [
        t(
            "cli.summary.selected",
            k=len(selection.draw.panel),
            n=instance.size,
            algorithm=distribution.algorithm,
            seed=seed_note,
        ),
        "",
        _quota_table(t, quota_record(instance, selection.draw.panel)),
        "",
        t(
            "cli.summary.probabilities",
            kind=_kind(t, kind),
            panels=distribution.num_panels,
            min=screen_number(fairness.minimum, 6, lang),
            max=screen_number(fairness.maximum, 6, lang),
            share=screen_number(instance.panel_size / instance.size, 6, lang),
            gini=screen_number(fairness.gini, 4, lang),
        ),
        "",
        t("cli.summary.ids", ids=", ".join(selection.selected_ids)),
    ]
    if selection.correction is not None:
        before, after = spreads(selection.correction, selection.marginals)
        parts += [
            "",
            t(
                "cli.summary.correction",
                categories=", ".join(selection.correction.categories),
                passes=selection.correction.raking_rounds,
                before_ratio=screen_number(before.ratio, 2, lang),
                before_variation=screen_number(before.variation, 3, lang),
                after_ratio=screen_number(after.ratio, 2, lang),
                after_variation=screen_number(after.variation, 3, lang),
            ),
        ]
    reserves = selection.reserves
    if reserves is not None:
        ids = selection.loaded.instance.ids
        parts += [
            "",
            t("cli.summary.reserves", ids=", ".join(ids[i] for i in reserves.people)),
            t(
                "cli.summary.reserves_repair",
                singles_repaired=reserves.singles_repaired,
                singles=reserves.singles,
                single_share=screen_percent(reserves.single_coverage, 1, lang),
                doubles_repaired=reserves.doubles_repaired,
                doubles=reserves.doubles,
                double_share=screen_percent(reserves.double_coverage, 1, lang),
            ),
        ]
    return "\n".join(parts)


def _kind(t: Translator, label: str) -> str:
    """How the probabilities are known (`Distribution.label`) in the translator's language."""
    return t.get(f"cli.kind.{label}", t.library_text(label) or label)


def _quota_table(t: Translator, rows: Sequence[Mapping[str, Any]], last: str = "") -> str:
    """The quota table: each value's min, max and the panel's count (`last` names that column:
    the selected panel unless stated)."""
    headers = ["feature", "value", "min", "max"]
    return table(
        [t(f"cli.summary.{h}") for h in headers] + [t(last or "cli.summary.selected_count")],
        [[row["feature"], row["value"], row["min"], row["max"], row["selected"]] for row in rows],
    )


def lottery_summary(lottery: Lottery, out_path: str, lang: str = "en") -> str:
    """What `sortition lottery` prints: the fingerprint, rounding figures, the statement (all in
    `lang`; the statement is the text to publish)."""
    t = Translator(lang)
    tickets = lottery.tickets
    fairness = lottery.record["fairness"]
    kind = lottery.distribution.label
    return "\n".join(
        [
            t("cli.lottery.written", tickets=tickets.num_tickets, path=out_path),
            t("cli.lottery.fingerprint", fingerprint=lottery.fingerprint),
            "",
            t(
                "cli.lottery.target",
                algorithm=lottery.distribution.algorithm,
                kind=_kind(t, kind),
                min=screen_number(fairness["target"]["min_probability"], 6, lang),
                max=screen_number(fairness["target"]["max_probability"], 6, lang),
            ),
            t(
                "cli.lottery.shares",
                min=screen_number(fairness["tickets"]["min_probability"], 6, lang),
                max=screen_number(fairness["tickets"]["max_probability"], 6, lang),
                deviation=screen_number(tickets.max_deviation, 6, lang),
                unrepresented=tickets.unrepresented,
            ),
            "",
            t("cli.lottery.statement_heading"),
            "",
            lottery_statement(lottery, Path(out_path).name, lang),
        ]
    )


def draw_summary(draw: TicketDraw, lang: str = "en") -> str:
    """What `sortition draw` prints: key, ticket, reserves, the quota table and the panel."""
    t = Translator(lang)
    parts = [
        t("cli.draw.key", key=draw.key),
        t(
            "cli.draw.ticket",
            ticket=draw.ticket,
            tickets=len(draw.lottery["tickets"]),
            fingerprint=draw.lottery["fingerprint"][:16],
        ),
    ]
    if draw.reserves:
        parts.append(t("cli.draw.reserves", tickets=", ".join(map(str, draw.reserves))))
    parts += [
        "",
        _quota_table(t, quota_record(draw.instance, draw.panel)),
        "",
        t("cli.summary.ids", ids=", ".join(draw.selected_ids)),
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
    kind = t(
        "verify.cli.invitations"
        if report.log_kind == INVITATION_LOG_KIND
        else "verify.cli.committed"
        if report.committed
        else "verify.cli.seed"
    )
    return "\n".join(
        [
            t("verify.cli.heading", path=report.request.log_path, kind=kind),
            "",
            table(headers, rows),
            "",
            verdict,
        ]
    )


def duplicates_summary(
    columns: tuple[str, ...], groups: tuple[DuplicateGroup, ...], lang: str = "en"
) -> str:
    """What `check` says about duplicate registrations (terminal only: it shows contact values)."""
    t = Translator(lang)
    if not columns:
        return t("cli.duplicates.no_columns")
    if not groups:
        return t("cli.duplicates.none", columns=", ".join(columns))
    lines = [t("cli.duplicates.groups", count=len(groups))]
    for group in groups:
        shared = "; ".join(f"{'/'.join(v.columns)} {v.value}" for v in group.shared)
        rows = ", ".join(map(str, group.rows))
        lines.append(t("cli.duplicates.group", rows=rows, ids=", ".join(group.ids), shared=shared))
    lines.append(t("cli.duplicates.refused"))
    return "\n".join(lines)


def replacement_summary(replacement: Replacement, lang: str = "en") -> str:
    """What `sortition replace` prints: who left, who joins, the completed panel's quotas."""
    t = Translator(lang)
    before = replacement.before
    source = replacement.seed_source
    wave = (
        [t("cli.replace.wave", number=len(before.earlier) + 1, drawn=len(before.drawn))]
        if before.earlier
        else []
    )
    return "\n".join(
        [
            *wave,
            t("cli.replace.dropouts", ids=", ".join(replacement.dropouts)),
            t(
                "cli.replace.replacements",
                algorithm=replacement.distribution.algorithm,
                seed=replacement.seed,
                source=t.get(f"cli.replace.source.{source}", source),
                ids=", ".join(replacement.replacement_ids),
            ),
            t("cli.replace.eligible", count=replacement.candidates.size),
            "",
            _quota_table(t, replacement_log_quotas(replacement), "cli.summary.completed"),
        ]
    )
