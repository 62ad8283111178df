"""Re-check a sortition ticket-lottery draw with nothing but the Python standard library.

Usage:
    python3 audit_draw.py lottery.json --source "17 20 22 35 36 38 48" --source 90193202 \
        [--fingerprint HEX] [--log public/selection-log.json] [--reserves N]

It does not import the sortition package: it recomputes the lottery file's fingerprint, checks
that every ticket meets every published quota and household rule, derives the RFC 3797 key from
the public sources, picks the ticket, and prints the panel's ids. With the published selection
log it also checks the log's fingerprint, that the log was drawn from this lottery and lists
this panel, and that every published file beside it has the SHA-256 the log records. It needs
only public files: the lottery file and the draw's public/ folder. Exit status 0 means every
check passed.
"""

import argparse
import hashlib
import json
import os
import sys


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
        return f"has {len(set(ids))} distinct members, not {rules['panel_size']}"
    if any(person not in people for person in ids):
        return "names someone who is not in the published pool"
    for feature, value, low, high in rules["quotas"]:
        column = features.index(feature)
        count = sum(1 for person in ids if people[person][column] == value)
        if not low <= count <= high:
            return f"has {count} with {feature}={value}, outside {low}..{high}"
    households = [household_of[person] for person in ids if person in household_of]
    if len(households) != len(set(households)):
        return "has two members of one household"
    return None


def check_log(path, lottery, panel):
    """The published log: its fingerprint, its lottery, its panel, the public files beside it."""
    with open(path, encoding="utf-8") as handle:
        log = json.load(handle)
    ok = True
    if fingerprint(log) != log.get("fingerprint"):
        print("FAIL: the log's content does not match the fingerprint stored in it")
        ok = False
    if (log.get("lottery") or {}).get("fingerprint") != lottery["fingerprint"]:
        print("FAIL: the log was not drawn from this lottery")
        ok = False
    if sorted(log["draw"]["selected"]) == panel:
        print("the log lists exactly this panel")
    else:
        print("FAIL: the log does not list this panel")
        ok = False
    folder = os.path.dirname(os.path.abspath(path))
    for name, logged in sorted((log.get("files") or {}).items()):
        if not name.startswith("public/"):
            continue  # personal files are not published; the organizer keeps them
        local = os.path.join(folder, *name.split("/")[1:])
        if not os.path.isfile(local):
            print(f"not checked: {name} is not beside the log")
            continue
        with open(local, "rb") as handle:
            actual = hashlib.sha256(handle.read()).hexdigest()
        if actual == logged:
            print(f"{name}: SHA-256 as the log records")
        else:
            print(f"FAIL: {name} was changed after the draw")
            ok = False
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lottery")
    parser.add_argument("--source", action="append", required=True)
    parser.add_argument("--fingerprint", help="the fingerprint published before the draw")
    parser.add_argument("--log", help="the draw's published selection-log.json, to check it")
    parser.add_argument("--reserves", type=int, default=0, help="also list this many reserves")
    args = parser.parse_args()

    with open(args.lottery, encoding="utf-8") as handle:
        lottery = json.load(handle)
    ok = True

    computed = fingerprint(lottery)
    print(f"fingerprint: {computed}")
    if computed != lottery["fingerprint"]:
        print("FAIL: the file's content does not match the fingerprint stored in it")
        ok = False
    if args.fingerprint and computed != args.fingerprint.strip().lower():
        print("FAIL: the file is not the lottery whose fingerprint was published")
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
            print(f"FAIL: ticket {number} {problem}")
            ok = False
            break
    else:
        print(f"all {len(tickets)} tickets meet every quota and household rule")

    key = rfc3797_key(args.source)
    picks = rfc3797_picks(key, len(tickets), 1 + args.reserves)
    panel = sorted(tickets[str(picks[0])])
    print(f"key: {key}")
    print(f"ticket: {picks[0]} of {len(tickets)}")
    if args.reserves:
        print("reserve tickets: " + ", ".join(str(p) for p in picks[1:]))
    print("panel: " + ", ".join(panel))

    if args.log:
        ok = check_log(args.log, lottery, panel) and ok

    print("PASS" if ok else "NOT VERIFIED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
