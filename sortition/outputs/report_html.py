"""`report.html`: one self-contained page the public can read, built from the selection log alone.

The page says what was drawn and how, compares the quotas with the panel, shows every volunteer's
selection probability as a plot (inline SVG) and a table, gives the algorithm's fairness figures,
the seed or the public random numbers, the SHA-256 of the published files, and how to verify the
draw step by step. It is a function of the publishable selection log alone (pseudonymous ids and
the quota features, never names, e-mails, phones or addresses; the hashes of the set's public
files, which the log lists), so `sortition verify` can tell whether a published report is the
log's own (`report_language`), in the format it was written in (`sortition.outputs.report_format`).
Inline CSS, no script and no external URL: it opens offline and can be published as it is.
Spanish or English (`sortition.i18n`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from sortition.distribution import STOPPED_OBJECTIVE
from sortition.i18n import LANGUAGES, Translator
from sortition.i18n.report_wordings import report_translator
from sortition.outputs.report_format import (
    RENDERABLE_FORMATS,
    REPORT_FORMAT,
    format_marker,
    marked_format,
)
from sortition.outputs.report_plot import probability_plot

REPORT_NAME = "report.html"
LOG_NAME = "selection-log.json"

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2433;
background:#f6f7f9;line-height:1.5}
main{max-width:920px;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.7rem;margin:.2rem 0 .5rem}h2{font-size:1.25rem;margin-top:2rem;
border-bottom:2px solid #d8dde6;padding-bottom:.2rem}
section{background:#fff;border:1px solid #e1e5ec;border-radius:8px;padding:.2rem 1.2rem 1rem;
margin-top:1.2rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e7eaf0}
th{background:#eef1f6}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#13653a;font-weight:600}.bad{color:#a3161b;font-weight:600}
code,.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;
overflow-wrap:anywhere}
.lead{font-size:1.1rem}.muted{color:#5b6475}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:.6rem}
.figure{background:#f3f6fb;border-radius:6px;padding:.5rem .7rem}
.figure b{display:block;font-size:1.2rem}
svg{max-width:100%;height:auto;background:#fff}
ol li{margin:.35rem 0}
"""


def render_report(
    log: Mapping[str, Any],
    lang: str = "en",
    log_sha256: str | None = None,
    report_format: int = REPORT_FORMAT,
) -> bytes:
    """The report page (UTF-8 HTML) of a selection log, a function of the log alone (so that
    `verify` can check a published report); `log_sha256` is the hash of the log file's bytes.
    `report_format` (one of `RENDERABLE_FORMATS`) re-makes a report written by an older version."""
    if report_format not in RENDERABLE_FORMATS:
        raise ValueError(f"report format {report_format} cannot be made by this version")
    t = report_translator(lang, report_format)
    parts = [
        _header(log, t),
        _how(log, t),
        _quotas(log, t),
        _fairness(log, t),
        _probabilities(log, t),
        _panel(log, t),
        _hashes(log, log_sha256, t),
        _verify_steps(log, t),
    ]
    version = escape(str((log.get("software") or {}).get("version", "?")))
    page = (
        f'<!DOCTYPE html>\n<html lang="{t.lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{format_marker(report_format, log_sha256)}"
        f"<title>{escape(t('report.title'))}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{''.join(parts)}"
        f'<p class="muted">{escape(t("report.footer", version=version))}</p>\n'
        "</main>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def report_of_log(log_bytes: bytes, lang: str = "en", report_format: int = REPORT_FORMAT) -> bytes:
    """The report of a selection log file, given its bytes."""
    log = json.loads(log_bytes.decode("utf-8"))
    return render_report(log, lang, hashlib.sha256(log_bytes).hexdigest(), report_format)


def report_language(log_bytes: bytes, report: bytes) -> str | None:
    """The language in which `report` is exactly the report of the log, in the format the report
    says it is in, or None if it is not (it was edited, belongs to another log, or is in a format
    this code cannot make: see `marked_format` and `RENDERABLE_FORMATS`)."""
    report_format, _ = marked_format(report)
    if report_format not in RENDERABLE_FORMATS:
        return None
    for lang in LANGUAGES:
        if report_of_log(log_bytes, lang, report_format) == report:
            return lang
    return None


def add_report(files: Mapping[str, bytes], lang: str = "en") -> dict[str, bytes]:
    """`files` with report.html beside each selection-log.json (same folder), in `lang`. A
    report already there in English (`layout.with_log` makes one) is kept, not made again."""
    result = dict(files)
    for name, content in files.items():
        folder, _, base = name.rpartition("/")
        report = f"{folder}/{REPORT_NAME}" if folder else REPORT_NAME
        if base == LOG_NAME and not (lang == "en" and report in files):
            result[report] = report_of_log(content, lang)
    return result


# ---------------------------------------------------------------------------------------------
# Sections


def _section(title: str, body: str, anchor: str) -> str:
    return f'<section id="{anchor}">\n<h2>{escape(title)}</h2>\n{body}</section>\n'


def _header(log: Mapping[str, Any], t: Translator) -> str:
    panel_size = int(log["rules"]["panel_size"])
    people = len(log["pool"]["people"])
    key = "report.lead.replacement" if "replacement" in log else "report.lead"
    lead = t(key, k=t.integer(panel_size), n=t.integer(people))
    return (
        f"<h1>{escape(t('report.title'))}</h1>\n"
        f'<p class="lead">{escape(lead)}</p>\n'
        f'<p class="muted">{escape(t("report.intro"))}</p>\n'
    )


def _how(log: Mapping[str, Any], t: Translator) -> str:
    options = log.get("options") or {}
    algorithm = str(options.get("algorithm", "?"))
    key = f"report.algorithm.{algorithm}"
    explained = t(key) if t.has(key) else ""  # an algorithm without a text yet: none
    items = [
        t("report.how.algorithm", algorithm=algorithm.upper()) + " " + explained,
        t("report.how.solver", solver=str(options.get("solver", "?"))),
    ]
    if options.get("gap") is not None:
        items.append(t("report.how.gap", gap=t.number(float(options["gap"]), 4)))
    stopped = (log.get("distribution") or {}).get("stopped_at_time_limit")
    if stopped is not None:
        gap = float(stopped.get("gap") or 0.0)
        seconds = t.number(float(options.get("time_limit") or 0.0), 4)
        key = "report.how.stopped" + (
            ".objective" if stopped.get("of") == STOPPED_OBJECTIVE else ""
        )
        items.append(t(key, seconds=seconds, gap=t.number(gap, 6)))
    randomness = log.get("randomness") or {}
    if randomness.get("method") == "rfc3797":
        lottery = log.get("lottery") or {}
        announcement = lottery.get("announcement") or {}
        items += [
            t(
                "report.how.lottery",
                tickets=t.integer(int(lottery.get("tickets", 0))),
                fingerprint=str(lottery.get("fingerprint", "?")),
            ),
            t("report.how.sources", sources=" / ".join(map(str, randomness.get("sources", [])))),
            t("report.how.key", key=str(randomness.get("key", ""))),
            t(
                "report.how.ticket",
                ticket=str((log.get("draw") or {}).get("ticket", "?")),
                tickets=t.integer(int(lottery.get("tickets", 0))),
            ),
        ]
        if announcement.get("public_sources"):
            items.append(t("report.how.announced", sources=str(announcement["public_sources"])))
    else:
        source = "report.how.seed.generated"
        if randomness.get("seed_source") == "given":
            source = "report.how.seed.given"
        items += [t(source, seed=str(randomness.get("seed", ""))), t("report.how.not_committed")]
    exclusions = log.get("exclusions") or {}
    kept_out = len(exclusions.get("by_history") or []) + len(
        exclusions.get("by_earlier_panels") or []
    )
    if kept_out:
        items.append(t("report.how.excluded", count=t.integer(kept_out)))
    if log.get("pool", {}).get("households"):
        items.append(t("report.how.households"))
    body = "<ul>\n" + "".join(f"<li>{escape(item)}</li>\n" for item in items) + "</ul>\n"
    return _section(t("report.how.title"), body, "how")


def _quotas(log: Mapping[str, Any], t: Translator) -> str:
    rows = []
    for row in log.get("quotas") or []:
        low, high, count = int(row["min"]), int(row["max"]), int(row["selected"])
        met = low <= count <= high
        mark = (
            f'<span class="ok">✓ {escape(t("report.quotas.met"))}</span>'
            if met
            else f'<span class="bad">✗ {escape(t("report.quotas.not_met"))}</span>'
        )
        rows.append(
            [escape(str(row["feature"])), escape(str(row["value"])), t.integer(low),
             t.integer(high), t.integer(count), mark]
        )  # fmt: skip
    headers = [
        t("report.quotas.feature"), t("report.quotas.value"), t("report.quotas.min"),
        t("report.quotas.max"), t("report.quotas.panel"), "",
    ]  # fmt: skip
    body = f"<p>{escape(t('report.quotas.intro'))}</p>\n" + _table(headers, rows, (2, 3, 4))
    return _section(t("report.quotas.title"), body, "quotas")


def _fairness(log: Mapping[str, Any], t: Translator) -> str:
    fairness = log.get("fairness") or {}
    panel_size = int(log["rules"]["panel_size"])
    people = max(len(log["pool"]["people"]), 1)
    figures = [
        (t("report.fair.min"), t.number(float(fairness.get("min_probability", 0)), 4)),
        (t("report.fair.max"), t.number(float(fairness.get("max_probability", 0)), 4)),
        (t("report.fair.share"), t.number(panel_size / people, 4)),
        (t("report.fair.gini"), t.number(float(fairness.get("gini", 0)), 4)),
        (t("report.fair.geomean"), t.number(float(fairness.get("geometric_mean", 0)), 4)),
        (
            t("report.fair.below"),
            t.percent(float(fairness.get("share_below_k_over_n", 0)), 1),
        ),
    ]
    cards = "".join(
        f'<div class="figure"><b>{escape(value)}</b>{escape(label)}</div>\n'
        for label, value in figures
    )
    body = (
        f'<p>{escape(t("report.fair.intro"))}</p>\n<div class="figures">\n{cards}</div>\n'
        f'<p class="muted">{escape(t("report.fair.explain"))}</p>\n'
        f"{_self_selection(log, t)}"
    )
    return _section(t("report.fair.title"), body, "fairness")


def _self_selection(log: Mapping[str, Any], t: Translator) -> str:
    """A paragraph on the self-selection correction, when the draw made one: the categories,
    the population table and the spread of end-to-end chances with equal chances and with this
    lottery (`sortition.process.self_selection.correction_record`); empty otherwise."""
    record = log.get("self_selection")
    if not isinstance(record, Mapping):
        return ""
    spread = record["end_to_end_spread"]
    text = t(
        "report.selfsel",
        categories=", ".join(map(str, record["categories"])),
        table=str(record["population_table"]["file"]),
        equal=t.number(float(spread["equal_chances"]["variation"]), 3),
        this=t.number(float(spread["this_lottery"]["variation"]), 3),
        equal_ratio=t.number(float(spread["equal_chances"]["ratio"]), 2),
        this_ratio=t.number(float(spread["this_lottery"]["ratio"]), 2),
    )
    return f'<p id="self-selection">{escape(text)}</p>\n'


def _probabilities(log: Mapping[str, Any], t: Translator) -> str:
    probabilities = {str(k): float(v) for k, v in (log.get("probabilities") or {}).items()}
    selected = set(map(str, (log.get("draw") or {}).get("selected", [])))
    panel_size = int(log["rules"]["panel_size"])
    fair = panel_size / max(len(probabilities), 1)
    plot = probability_plot(sorted(probabilities.values()), fair, t)
    rows = [
        [escape(person), t.number(p, 4), "✓" if person in selected else ""]
        for person, p in sorted(probabilities.items())
    ]
    table = _table(
        [t("report.prob.id"), t("report.prob.probability"), t("report.prob.selected")],
        rows,
        (1,),
    )
    body = (
        f"<p>{escape(t('report.prob.intro'))}</p>\n{plot}\n"
        f'<p class="muted">{escape(t("report.prob.plot_caption"))}</p>\n'
        f"<details><summary>{escape(t('report.prob.table', n=t.integer(len(rows))))}</summary>\n"
        f"{table}</details>\n"
    )
    return _section(t("report.prob.title"), body, "probabilities")


def _panel(log: Mapping[str, Any], t: Translator) -> str:
    selected = sorted(map(str, (log.get("draw") or {}).get("selected", [])))
    body = f"<p>{escape(t('report.panel.intro'))}</p>\n<p><code>"
    body += escape(", ".join(selected)) + "</code></p>\n"
    reserves = (log.get("reserves") or {}).get("ranked") or []
    if reserves:
        body += f"<p>{escape(t('report.panel.reserves'))}</p>\n<p><code>"
        body += escape(", ".join(map(str, reserves))) + "</code></p>\n"
    replacement = log.get("replacement")
    if isinstance(replacement, Mapping):
        body += f"<p>{escape(t('report.panel.replacement'))}</p>\n"
        earlier = replacement.get("earlier_replacements") or []
        if earlier:
            prints = ", ".join(str(wave["log_fingerprint"])[:16] + "..." for wave in earlier)
            text = t("report.panel.earlier", wave=t.integer(len(earlier) + 1), prints=prints)
            body += f"<p>{escape(text)}</p>\n"
    return _section(t("report.panel.title"), body, "panel")


def _hashes(log: Mapping[str, Any], log_sha256: str | None, t: Translator) -> str:
    def row(label: str, digest: object) -> list[str]:
        return [escape(label), f'<span class="hash">{escape(str(digest))}</span>']

    rows = [row(LOG_NAME, log_sha256)] if log_sha256 else []
    listed = log.get("files")
    if isinstance(listed, Mapping):  # the other files of the set: only the public ones here
        rows += [
            row(str(name).split("/", 1)[1], digest)
            for name, digest in sorted(listed.items())
            if str(name).startswith("public/") and not str(name).endswith(REPORT_NAME)
        ]
    inputs = log.get("inputs") or {}
    for role in ("pool", "quotas"):
        item = inputs.get(role)
        if isinstance(item, Mapping) and "sha256" in item:
            rows.append(
                row(t(f"report.hash.{role}", file=str(item.get("file", ""))), item["sha256"])
            )
    rows.append(row(t("report.hash.fingerprint"), log.get("fingerprint", "")))
    body = f"<p>{escape(t('report.hash.intro'))}</p>\n" + _table(
        [t("report.hash.file"), "SHA-256"], rows, ()
    )
    return _section(t("report.hash.title"), body, "files")


def _verify_steps(log: Mapping[str, Any], t: Translator) -> str:
    committed = (log.get("randomness") or {}).get("method") == "rfc3797"
    command = "sortition verify selection-log.json"
    if committed:
        command += " --lottery lottery.json"
    steps = [
        escape(t("report.verify.get_committed" if committed else "report.verify.get")),
        escape(t("report.verify.hashes")),
        escape(t("report.verify.install")) + " <code>pip install sortition</code>",
        escape(t("report.verify.run")) + f" <code>{escape(command)} --deep</code>",
        escape(t("report.verify.read")),
        escape(t("report.verify.inputs")) + " <code>--pool pool.csv --quotas quotas.csv</code>",
        escape(t("report.verify.by_hand")),
    ]
    body = "<ol>\n" + "".join(f"<li>{step}</li>\n" for step in steps) + "</ol>\n"
    return _section(t("report.verify.title"), body, "verify")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int]) -> str:
    """An HTML table; `rows` hold HTML already escaped, `headers` plain text."""
    head = "".join(
        f'<th class="num">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    lines = [
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    ]
    return (
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(lines)
        + ("\n</tbody>\n</table>\n")
    )
