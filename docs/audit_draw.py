"""Re-check a sortition ticket-lottery draw with nothing but the Python standard library.

Usage:
    python3 audit_draw.py lottery.json --source "17 20 22 35 36 38 48" --source 90193202 \
        [--fingerprint HEX] [--log public/selection-log.json] [--reserves N] [--lang es]

It does not import the sortition package: it recomputes the lottery file's fingerprint, checks
that every ticket meets every published quota and household rule, derives the RFC 3797 key from
the public sources, picks the ticket, and prints the panel's ids. With the published selection
log it also checks the log's fingerprint, that the log was drawn from this lottery and lists
this panel, and that every published file beside it has the SHA-256 the log records. It needs
only public files: the lottery file and the draw's public/ folder. Exit status 0 means every
check passed. With --lang es it reports in Spanish (docs/auditoria.md).
"""

import argparse
import hashlib
import json
import os
import sys

MESSAGES = {  # what the script prints, in English and in Spanish (--lang es)
    "en": {
        "fingerprint": "fingerprint: {value}",
        "content": "FAIL: the file's content does not match the fingerprint stored in it",
        "published": "FAIL: the file is not the lottery whose fingerprint was published",
        "ticket_fail": "FAIL: ticket {number} {problem}",
        "distinct": "has {distinct} distinct members, not {k}",
        "outsider": "names someone who is not in the published pool",
        "quota": "has {count} with {feature}={value}, outside {low}..{high}",
        "household": "has two members of one household",
        "tickets_ok": "all {count} tickets meet every quota and household rule",
        "key": "key: {key}",
        "ticket": "ticket: {ticket} of {total}",
        "reserves": "reserve tickets: {tickets}",
        "panel": "panel: {ids}",
        "log_content": "FAIL: the log's content does not match the fingerprint stored in it",
        "log_lottery": "FAIL: the log was not drawn from this lottery",
        "log_panel": "the log lists exactly this panel",
        "log_other_panel": "FAIL: the log does not list this panel",
        "absent": "not checked: {name} is not beside the log",
        "file_ok": "{name}: SHA-256 as the log records",
        "file_changed": "FAIL: {name} was changed after the draw",
        "pass": "PASS",
        "fail": "NOT VERIFIED",
    },
    "es": {
        "fingerprint": "huella: {value}",
        "content": "FALLA: el contenido del archivo no coincide con la huella guardada en él",
        "published": "FALLA: el archivo no es la lotería cuya huella se publicó",
        "ticket_fail": "FALLA: el boleto {number} {problem}",
        "distinct": "tiene {distinct} integrantes distintos, no {k}",
        "outsider": "nombra a alguien que no está en la lista publicada de inscritos",
        "quota": "tiene {count} con {feature}={value}, fuera de {low}..{high}",
        "household": "tiene dos integrantes de un mismo hogar",
        "tickets_ok": "los {count} boletos cumplen todas las cuotas y la regla de hogares",
        "key": "clave: {key}",
        "ticket": "boleto: {ticket} de {total}",
        "reserves": "boletos de reserva: {tickets}",
        "panel": "panel: {ids}",
        "log_content": "FALLA: el contenido del registro no coincide con la huella guardada en él",
        "log_lottery": "FALLA: el registro no se sorteó de esta lotería",
        "log_panel": "el registro lista exactamente este panel",
        "log_other_panel": "FALLA: el registro no lista este panel",
        "absent": "no comprobado: {name} no está junto al registro",
        "file_ok": "{name}: SHA-256 como consta en el registro",
        "file_changed": "FALLA: {name} se modificó después del sorteo",
        "pass": "VERIFICADO",
        "fail": "NO VERIFICADO",
    },
}
LANG = "en"  # set by --lang


def say(message, **fields):
    """The message named `message` in the chosen language, filled with `fields`."""
    return MESSAGES[LANG][message].format(**fields)


def canonical_json(record):
    """The byte form the fingerprint is taken over."""
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def fingerprint(record):
    body = {key: value for key, value in record.items() if key != "fingerprint"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def rfc3797_key(sources):
    """Each source's numbers sorted ascending, each followed by '.', each source ended by '/'."""
    key = ""
    for source in sources:
        numbers = sorted(int(token) for token in source.replace(",", " ").split())
        key += "".join(f"{number}." for number in numbers) + "/"
    return key


def rfc3797_picks(key, pool_size, count):
    """1-based positions picked in order among items 1..pool_size (RFC 3797, section 4)."""
    remaining = list(range(1, pool_size + 1))
    picks = []
    for i in range(count):
        counter = i.to_bytes(2, "big")
        digest = hashlib.md5(counter + key.encode("ascii") + counter).digest()
        picks.append(remaining.pop(int.from_bytes(digest, "big") % len(remaining)))
    return picks


def ticket_problem(ids, people, features, rules, household_of):
    """Why a ticket breaks the rules, or None."""
    if len(set(ids)) != len(ids) or len(ids) != rules["panel_size"]:
        return say("distinct", distinct=len(set(ids)), k=rules["panel_size"])
    if any(person not in people for person in ids):
        return say("outsider")
    for feature, value, low, high in rules["quotas"]:
        column = features.index(feature)
        count = sum(1 for person in ids if people[person][column] == value)
        if not low <= count <= high:
            return say("quota", count=count, feature=feature, value=value, low=low, high=high)
    households = [household_of[person] for person in ids if person in household_of]
    if len(households) != len(set(households)):
        return say("household")
    return None


def check_log(path, lottery, panel):
    """The published log: its fingerprint, its lottery, its panel, the public files beside it."""
    with open(path, encoding="utf-8") as handle:
        log = json.load(handle)
    ok = True
    if fingerprint(log) != log.get("fingerprint"):
        print(say("log_content"))
        ok = False
    if (log.get("lottery") or {}).get("fingerprint") != lottery["fingerprint"]:
        print(say("log_lottery"))
        ok = False
    if sorted(log["draw"]["selected"]) == panel:
        print(say("log_panel"))
    else:
        print(say("log_other_panel"))
        ok = False
    folder = os.path.dirname(os.path.abspath(path))
    for name, logged in sorted((log.get("files") or {}).items()):
        if not name.startswith("public/"):
            continue  # personal files are not published; the organizer keeps them
        local = os.path.join(folder, *name.split("/")[1:])
        if not os.path.isfile(local):
            print(say("absent", name=name))
            continue
        with open(local, "rb") as handle:
            actual = hashlib.sha256(handle.read()).hexdigest()
        if actual == logged:
            print(say("file_ok", name=name))
        else:
            print(say("file_changed", name=name))
            ok = False
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lottery")
    parser.add_argument("--source", action="append", required=True)
    parser.add_argument("--fingerprint", help="the fingerprint published before the draw")
    parser.add_argument("--log", help="the draw's published selection-log.json, to check it")
    parser.add_argument("--reserves", type=int, default=0, help="also list this many reserves")
    parser.add_argument("--lang", choices=sorted(MESSAGES), default="en", help="en or es")
    args = parser.parse_args()
    global LANG
    LANG = args.lang

    with open(args.lottery, encoding="utf-8") as handle:
        lottery = json.load(handle)
    ok = True

    computed = fingerprint(lottery)
    print(say("fingerprint", value=computed))
    if computed != lottery["fingerprint"]:
        print(say("content"))
        ok = False
    if args.fingerprint and computed != args.fingerprint.strip().lower():
        print(say("published"))
        ok = False

    pool, rules = lottery["pool"], lottery["rules"]
    people = {row[0]: row[1:] for row in pool["people"]}
    household_of = {
        person: number for number, members in enumerate(pool["households"]) for person in members
    }
    tickets = lottery["tickets"]
    for number, ids in tickets.items():
        problem = ticket_problem(ids, people, pool["features"], rules, household_of)
        if problem:
            print(say("ticket_fail", number=number, problem=problem))
            ok = False
            break
    else:
        print(say("tickets_ok", count=len(tickets)))

    key = rfc3797_key(args.source)
    picks = rfc3797_picks(key, len(tickets), 1 + args.reserves)
    panel = sorted(tickets[str(picks[0])])
    print(say("key", key=key))
    print(say("ticket", ticket=picks[0], total=len(tickets)))
    if args.reserves:
        print(say("reserves", tickets=", ".join(str(p) for p in picks[1:])))
    print(say("panel", ids=", ".join(panel)))

    if args.log:
        ok = check_log(args.log, lottery, panel) and ok

    print(say("pass") if ok else say("fail"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
