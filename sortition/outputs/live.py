"""A running computation's latest status as people read it, in their language: the web app's
progress page and the command line's progress lines under `--lang es` show the same words
(phase, share done, lowest probability, proven bound and gap; the seating search's step,
balance and repeated pairs)."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from sortition.i18n import Translator
from sortition.options import Status
from sortition.tables import SearchProgress


def live_status(status: Status) -> dict[str, Any]:
    """A `Status` as the page shows it: phase, share done, level, bound and their gap."""
    gap = status.gap  # None when there is no finite bound: then no bound is shown either
    return {
        "phase": status.phase,
        "done": status.done,
        "level": status.level,
        "bound": None if gap is None else status.bound,
        "gap": gap,
    }


def seating_status(progress: SearchProgress) -> dict[str, Any]:
    """The seating search's best levels so far, as `live_text` reads them."""
    return {"phase": "seating", **asdict(progress)}


def live_text(t: Translator, live: dict[str, Any] | None) -> str:
    """The algorithm's latest status in the page's language: phase, level, bound and gap."""
    if not live:
        return ""
    phase = str(live.get("phase", ""))
    if phase == "seating":
        return t(
            "live.seating",
            step=t.integer(int(live["step"])),
            balance=t.integer(int(live["balance"])),
            repeats=t.integer(int(live["repeats"])),
            bound=t.integer(int(live["repeat_bound"])),
        )
    stage = re.fullmatch(r"leximin stage (\d+)", phase)
    realizing = phase.startswith("leximin: share")
    if stage:
        parts = [t("live.stage", stage=stage.group(1))]
    elif phase in ("maximin", "leximin") or realizing:
        parts = [t("live.realize") if realizing else phase.upper()]
    else:
        parts = [phase]
    if live.get("done") is not None:
        parts.append(t("live.done", done=t.percent(float(live["done"]))))
    if live.get("level") is not None:
        key = "live.share" if realizing else "live.level"
        parts.append(t(key, level=t.number(float(live["level"]), 6)))
    if live.get("bound") is not None and live.get("gap") is not None:
        gap = t.percent(float(live["gap"]), 2)
        parts.append(t("live.bound", bound=t.number(float(live["bound"]), 6), gap=gap))
    return " · ".join(parts)
