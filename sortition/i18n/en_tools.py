"""English messages of the web app's tools beside the draw: seating at tables, live status,
quota tables from the census, invitations, and what each error code means (same keys as
`sortition.i18n.es_tools`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---- seating at tables ---------------------------------------------------------------------
    "home.tables": "Seat an assembly at tables",
    "home.kind.tables": "seating",
    "progress.title.tables": "Seating the assembly at tables",
    "result.tables": "Seat this panel at tables, round after round",
    "progress.back_tables": "Back to the seating",
    "tables.title": "Seating at tables",
    "tables.lead": (
        "Seat the assembly at small tables for several rounds: every table as diverse as the "
        "whole panel, new faces at each round, and the rules you set (an interpreter with the "
        "person who needs one, relatives at different tables)."
    ),
    "tables.panel": "The panel",
    "tables.panel_drawn": "The panel drawn in this run (its selected.csv) will be seated.",
    "tables.panel_replaced": (
        "The panel of this run as the last replacement completed it (its selected.csv) will be "
        "seated."
    ),
    "tables.panel_uploaded": "The uploaded panel {name} will be seated.",
    "tables.panel_none": (
        "Upload the panel to seat: a CSV or Excel file with an id column and the columns to "
        "balance, such as the selected.csv of a draw."
    ),
    "tables.panel_file": "Panel (CSV or Excel)",
    "tables.use_draw": "Seat this run's panel instead (as drawn, or as replacements completed it)",
    "tables.settings": "Tables, rounds and rules",
    "tables.table_size": "Most members at one table",
    "tables.rounds": "Rounds",
    "tables.balance": "Columns to balance",
    "tables.balance_help": (
        "Every table should hold each value of these columns in proportion to the panel (within "
        "the floor and ceiling of its share)."
    ),
    "tables.spread": "Further columns to spread (optional)",
    "tables.label": "Shown beside each id on the printable pages (optional)",
    "tables.label_help": (
        "Such as first and last names, so that facilitators know who is who. The seating files "
        "then hold personal data: share them with the facilitators only."
    ),
    "tables.spread_help": "Spread across tables after balance and new encounters.",
    "tables.rules": "Rules (optional)",
    "tables.rules_help": (
        "Keep together: a CSV or Excel file with columns group,id; each group shares a table in "
        "every round. Keep apart: columns id_a,id_b; these two never share a table."
    ),
    "tables.together": "Keep together",
    "tables.apart": "Keep apart",
    "tables.clear_rule": "remove this file",
    "tables.earlier": "Sessions already held (optional)",
    "tables.earlier_help": (
        "When the panel changed after some sessions (someone left, a replacement joined), seat "
        "the sessions still ahead: give the seating used so far (its tables.csv) and how many of "
        "its rounds took place. Who met there counts as having met; who left is left out; the "
        "new rounds are numbered after the ones held."
    ),
    "tables.earlier_file": "Seating used so far (tables.csv)",
    "tables.continue": "continue the seating below (this run's)",
    "tables.held": "Rounds held (default: every round of that seating)",
    "tables.held_note": (
        "After {held} round(s) already held: these are rounds {first} to {last}, and the "
        "repeated encounters count the held rounds too."
    ),
    "tables.absent": "Absent from these rounds (optional): ids, separated by commas",
    "tables.absent_help": (
        "Members who miss the rounds seated now get no seat, and the tables are balanced among "
        "those who attend. Their seats in the rounds held stay in tables.csv, so when they come "
        "back, continue from it and their earlier encounters still count."
    ),
    "tables.absent_note": "Absent from rounds {first} to {last}, not seated: {ids}.",
    "tables.personal": "Not offered, as they hold personal data: {columns}.",
    "tables.time_limit": "Time limit in seconds (optional)",
    "tables.time_limit_help": (
        "Without a limit the search stops by itself and the same seed always gives the same "
        "seating; with one, the seating also depends on the computer's speed."
    ),
    "tables.start": "Seat the panel",
    "tables.result": "The seating",
    "tables.summary": (
        "{members} members at {tables} tables of {sizes}, {rounds} round(s), in {seconds} s."
    ),
    "tables.quality.balance": "Balance of {columns}",
    "tables.quality.balanced": "every table within floor and ceiling",
    "tables.quality.outside": "{outside} member(s) outside floor or ceiling, summed over tables",
    "tables.quality.repeats": "Repeated encounters (a pair meeting three times counts twice)",
    "tables.quality.bound": "lower bound {bound}",
    "tables.quality.optimal": "optimal",
    "tables.quality.which": (
        "Who meets whom again, and in which rounds: repeats.csv; on the round pages, each "
        "table's card names its members who already sat together."
    ),
    "tables.quality.fewer": (
        "Each balanced column keeps every table close to the panel's make-up, which leaves few "
        "ways to seat people who have not met yet. For fewer repeated pairs, balance fewer "
        "columns (spread the others) or seat fewer rounds."
    ),
    "tables.quality.rules": "Rules: {together} keep-together group(s), {apart} keep-apart pair(s)",
    "tables.quality.greedy": (
        "A greedy seating (each member to the least similar table) would leave {outside} outside "
        "floor or ceiling and {repeats} repeated pairs."
    ),
    "tables.not_reproducible": (
        "The time limit stopped the search, so this seating depends on the computer's speed as "
        "well as the seed."
    ),
    "tables.rounds_pages": "Printable page per round, for the facilitators",
    "tables.round": "Round {round}",
    "tables.private": (
        "The seating files list members by their ids: share them with the facilitators, not "
        "publicly."
    ),
    "tables.private_labels": (
        "The seating files list members by their ids and by {columns}: personal data, to share "
        "with the facilitators only, never publicly."
    ),
    # ---- live status of a long computation -----------------------------------------------------
    "live.stage": "LEXIMIN, stage {stage}",
    "live.realize": "LEXIMIN: realizing the relaxation's leximin with real panels",
    "live.done": "groups fixed {done}",
    "live.level": "lowest probability {level}",
    "live.share": "share realized {level}",
    "live.bound": "proven bound {bound} (gap {gap})",
    "live.seating": (
        "Seating search, step {step}: best so far {balance} outside floor/ceiling, "
        "{repeats} repeated pairs (lower bound {bound})"
    ),
    # ---- quota table from the census ---------------------------------------------------------
    "census.link": "No quota table yet? Make it from the census",
    "census.title": "Quota table from the census",
    "census.lead": (
        "Share the panel's seats out over each category in proportion to the census population "
        "(largest remainder), for your commune or any part of the census; min and max are the "
        "seats minus and plus the tolerance. Look at the table, then make it this run's quota "
        "table."
    ),
    "census.back": "Back to the draw",
    "census.file": "The census",
    "census.bundled": (
        "The 2017 census of the 52 communes of the Santiago Metropolitan Region (INE), by "
        "commune, province, sex and 5-year age band, comes with the program."
    ),
    "census.uploaded": "The uploaded census {name} is used.",
    "census.own_file": "Or upload your own census (CSV or Excel)",
    "census.use_bundled": "Use the bundled 2017 census instead",
    "census.format": (
        "Long format: one row per census cell (for example commune, sex and age band) and a "
        "column with the number of people in it."
    ),
    "census.choices": "What to count and how",
    "census.count_column": "Column with the number of people",
    "census.rows": "Whose population",
    "census.rows_help": (
        "Tick your commune (or communes) to count only their people; with nothing ticked the "
        "whole census counts."
    ),
    "census.only": "Only some values of {column} ({count})",
    "census.categories": "Categories to make quotas for",
    "census.categories_help": (
        "Tick each category of your pool. Write its name and its values as your pool spells "
        "them (for example sex as gender, female as Mujer); values given the same spelling are "
        "merged. Make the table again to see the fields of a newly ticked category."
    ),
    "census.values": "{count} values",
    "census.pool_name": "Name in the pool",
    "census.pool_values": "Values as the pool spells them",
    "census.ages": "Age bands",
    "census.ages_help": (
        "The census's 5-year bands are regrouped into these adult bands (ages taken as uniform "
        "within a band); people younger than the adult age are left out of every category. "
        "Leave the bands empty to count every age as the census does."
    ),
    "census.age_column": "Census column with age bands",
    "census.bands": "Bands (comma-separated, the last one open, such as 60+)",
    "census.adult_age": "Youngest age counted",
    "census.tolerance": "Tolerance (seats either side)",
    "census.tolerance_help": (
        "Each quota is the apportioned seats minus and plus this number; 0 fixes the "
        "composition exactly, which is much harder to meet."
    ),
    "census.make": "Make the quota table",
    "census.made": "The quota table",
    "census.summary": "Seats of a panel of {size}, tolerance {tolerance}.",
    "census.adults": "Ages {age} and over.",
    "census.partial": "Census band {band} counted as {share} of its people.",
    "census.population": "population",
    "census.share": "share",
    "census.exact": "exact",
    "census.seats": "seats",
    "census.replaces": "It replaces the current quota table ({name}).",
    "census.use": "Use it as this run's quota table",
    # ---- what an error code means, shown above the program's own message ----------------------
    "explain.E101": (
        "The file could not be read as a table. Save it as CSV (UTF-8, comma or semicolon) or "
        "as an Excel .xlsx workbook."
    ),
    "explain.E102": (
        "The quota table's columns were not recognized: it needs the columns "
        "feature,value,min,max (or category,name,min,max)."
    ),
    "explain.E103": (
        "A column the program needs is not in the file. Check the names on the first row "
        "(capitals and spaces do not matter)."
    ),
    "explain.E104": "A row has no identifier: every person needs one, unique, in the id column.",
    "explain.E105": "Two rows share an identifier: each person needs their own.",
    "explain.E106": (
        "A value in one file does not match the values of the other, for example a category "
        "spelled differently in the volunteer list and in the quota table. Spell it the same "
        "way in both."
    ),
    "explain.E107": "A number is missing or is not a whole number of at least 0.",
    "explain.E108": "A quota's minimum is larger than its maximum.",
    "explain.E109": "The file has no people in it.",
    "explain.E110": "The same value of a category appears twice in the quota table.",
    "explain.E111": "A saved record (draw log or lottery file) is damaged or of another kind.",
    "explain.E112": (
        "A file is not the one recorded at the draw: its fingerprint (SHA-256) differs, so it "
        "was changed afterwards."
    ),
    "explain.E201": (
        "The panel size must be a whole number, at least 1 and at most the number of people."
    ),
    "explain.E203": "Writing the results would replace an input file or earlier results.",
    "explain.E301": (
        "No panel can meet every quota at once (with one person per household, if asked). "
        "The quota check (step 3) proposes the smallest correction."
    ),
    "explain.E302": (
        "The seating rules cannot all hold together; the message names the rules in conflict."
    ),
    "explain.E402": "The time limit ended the computation before it finished.",
    "error.detail": "Details",
    # ---- invitations drawn from a register ------------------------------------------------------
    "home.invite": "Draw invitations from a register",
    "home.kind.invite": "invitations",
    "progress.title.invite": "Drawing the invitations",
    "progress.back_invite": "Back to the invitations",
    "invite.title": "Invitations from a register",
    "invite.lead": (
        "The first lottery of a citizens' assembly: draw the addresses or residents who get an "
        "invitation letter, every one equally likely within their stratum (commune, zone...), "
        "with invitations shared out in proportion to each stratum's size."
    ),
    "invite.register": "The register",
    "invite.register_current": "Register: {name}.",
    "invite.register_file": "Register (CSV)",
    "invite.register_help": (
        "One row per address or resident, with a column of unique ids; the other columns "
        "(address, commune...) are copied to the mailing list."
    ),
    "invite.settings": "Strata, invitations and seed",
    "invite.id_column": "Column with the unique id of each row",
    "invite.pseudonyms": (
        "The id column holds personal data (an identity number, an e-mail): publish pseudonyms "
        "instead"
    ),
    "invite.strata": "Strata (optional)",
    "invite.strata_help": (
        "Each combination of these columns' values gets its share of the invitations (largest "
        "remainder) and a random sample of that size; with none, one sample of the whole register."
    ),
    "invite.count": "Number of invitations",
    "invite.seed_help": (
        "Any number or text; the same register, choices and seed give the same invitations. "
        "Without one, a seed is generated and shown."
    ),
    "invite.start": "Draw the invitations",
    "invite.result": "The invitations",
    "invite.summary": (
        "{invitations} invitations drawn from {population} rows of the register ({share})."
    ),
    "invite.stratified": "Stratified by {columns}: {strata} strata.",
    "invite.unstratified": "One sample of the whole register.",
    "invite.seed_generated": "generated; write it down to repeat the draw",
    "invite.residents": "rows",
    "invite.invitations": "invitations",
    "invite.probability": "probability",
    "invite.files": "Files",
    "invite.private": (
        "personal data (every column of the invited rows, for mailing the letters): keep it "
        "private, never publish it"
    ),
    "invite.public": (
        "the publishable log: ids, strata and counts, the seed and the rules; anyone can check "
        "it against the register with sortition verify invitations-log.json --register FILE"
    ),
    "invite.pseudonymized": "(ids as pseudonyms)",
    "invite.overwrite": (
        "Replace the invitations drawn before in this run (their mailing list is lost)"
    ),
    "tables.overwrite": "Replace the seating made before in this run",
}
