"""English messages of the web app (same keys as `sortition.i18n.es_web`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---- web app ---------------------------------------------------------------------------
    "app.title": "Citizens' panel draws",
    "app.footer": (
        "sortition {version} · runs on this computer only: your files stay in its work folder "
        "and nothing is sent anywhere."
    ),
    "nav.home": "Home",
    "nav.verify": "Verify a draw",
    "home.title": "Draw a citizens' panel by lottery",
    "home.lead": (
        "Upload the list of volunteers and the quota table, check that the quotas can be met, "
        "and draw a panel that gives everyone as equal a chance as the quotas allow."
    ),
    "home.private": (
        "Everything happens on this computer: the files stay in the work folder and you can "
        "delete them at any time. The report and the log can be published: they hold no "
        "personal data."
    ),
    "home.new_draw": "New draw",
    "home.verify": "Verify a published draw",
    "home.deleted": "The run and all its files were deleted.",
    "home.runs": "Runs kept on this computer",
    "home.run": "Run",
    "home.kind": "Kind",
    "home.files": "Files",
    "home.state": "State",
    "home.kind.draw": "draw",
    "home.kind.verify": "verification",
    "home.done": "has results",
    "home.open": "in progress",
    "home.no_runs": "No runs yet.",
    "home.terminal": "Prefer the terminal?",
    "home.terminal_text": (
        "Every step is also a command of the sortition program, with the same results, for example:"
    ),
    "run.title": "Draw",
    "run.job_running": "A computation is running for this draw.",
    "run.see_progress": "See its progress",
    "run.has_output": "This draw has results.",
    "run.see_result": "See the results",
    "run.has_lottery": "A lottery was computed for this draw.",
    "run.see_lottery": "See the lottery and draw it",
    "run.delete_title": "Delete this draw's files",
    "run.delete_help": (
        "Removes the uploaded files and every result of this draw from the work folder. "
        "Download what you need first."
    ),
    "run.delete": "Delete",
    "step.files": "Files",
    "step.columns": "Columns",
    "step.check": "Check the quotas",
    "step.draw": "Draw",
    "files.intro": (
        "The volunteer list (one row per person, with an id column and one column per "
        "characteristic) and the quota table. Up to {size} MB per upload."
    ),
    "files.pool": "Volunteer list (pool)",
    "files.quotas": "Quota table",
    "files.population": "Population per category (optional, to correct self-selection)",
    "files.current": "current",
    "files.upload": "Upload",
    "files.formats": (
        "CSV (comma or semicolon, UTF-8) or Excel .xlsx. Quota tables: columns "
        "feature,value,min,max (or category,name,min,max)."
    ),
    "columns.id": "Column with each volunteer's unique id",
    "columns.households": "Household columns",
    "columns.households_help": (
        "Volunteers equal on all the columns ticked (for example the address) share a "
        "household; at most one per household is selected. Tick none to allow several."
    ),
    "columns.panel_size": "Panel size (number of people)",
    "columns.panel_size_missing": "Enter the panel size: a whole number above zero.",
    "columns.read": "Read the files",
    "categories.title": "What was read",
    "categories.summary": (
        "{people} volunteers, a panel of {k}, {features} characteristics with quotas."
    ),
    "categories.households": "{households} households.",
    "categories.in_pool": "in pool",
    "categories.min": "min",
    "categories.max": "max",
    "categories.duplicates": (
        "{count} group(s) of volunteers share contact details ({columns}): each person would "
        "have two chances. Resolve them in the list, or allow them in the draw's options."
    ),
    "categories.duplicate_rows": "rows {rows} (ids {ids})",
    "categories.no_duplicates": "No duplicate registrations (compared {columns}).",
    "check.intro": (
        "Checks that at least one panel meets every quota and household rule; if none does, "
        "it proposes the smallest change to the quotas."
    ),
    "check.run": "Check the quotas",
    "check.feasible": "The quotas can be met: a panel of this size meets every quota.",
    "check.infeasible": "No panel meets every quota.",
    "check.relaxation": "Smallest change that makes a panel possible: {cost} unit(s).",
    "check.old": "Before",
    "check.new": "Proposed",
    "check.use_corrected": "Use the proposed quotas",
    "check.download_corrected": "Download the proposed quota table",
    "draw.now": "Draw now",
    "draw.now_help": "Draws at once from a seed; anyone can repeat the draw with the same seed.",
    "draw.algorithm": "Algorithm",
    "algorithm.leximin": "the fairest (recommended)",
    "algorithm.maximin": "raises the lowest chance; faster",
    "algorithm.nash": "geometric mean of the chances",
    "algorithm.goldilocks": "chances neither too high nor too low",
    "algorithm.diversimax": "most balanced intersections, chances near the fairest",
    "algorithm.legacy": "the old greedy draw (for comparison)",
    "algorithm.fair-maxentropy": "LEXIMIN's chances, the least predictable panel",
    "algorithm.maxentropy": "every valid panel equally likely",
    "draw.seed": "Seed (optional)",
    "draw.seed_placeholder": "e.g. Renca 2026-11-23; empty: one is generated",
    "draw.reserves": "Reserves to rank",
    "draw.overwrite": "Replace the earlier results of this draw",
    "draw.start": "Draw the panel",
    "draw.advanced": "Advanced options",
    "draw.gap": "Optimality gap (e.g. 0.01; empty: exact)",
    "draw.fairness_slack": "Fairness slack for DIVERSIMAX (0 to below 1; empty: 0.05)",
    "draw.time_limit": "Time limit in seconds (empty: none)",
    "draw.correct_self_selection": (
        "Correct self-selection with {file}: chances inversely proportional to how often "
        "residents like each volunteer sign up (LEXIMIN or MAXIMIN)"
    ),
    "draw.allow_duplicates": "Draw even though some volunteers registered twice",
    "lottery.title": "Public lottery",
    "lottery.help": (
        "Commit first: publish the lottery before public random numbers exist (for example a "
        "national lottery result); then draw from those numbers. Nobody can steer the draw."
    ),
    "lottery.tickets": "Number of tickets",
    "lottery.sources": "Public sources that will be used",
    "lottery.sources_placeholder": "e.g. the 6 numbers of Loto draw 5210",
    "lottery.date": "Date of the draw",
    "lottery.overwrite": "Replace the earlier lottery of this draw",
    "lottery.start": "Compute the lottery",
    "lottery.committed": "Lottery ready to publish",
    "lottery.publish": (
        "Publish the file lottery.json, its fingerprint and the statement below before the "
        "draw date, for example on the transparency portal."
    ),
    "lottery.fingerprint": "Fingerprint (SHA-256)",
    "lottery.statement": (
        "The panel of {k} will be drawn from {n} volunteers by the ticket lottery published "
        "as lottery.json, with SHA-256 fingerprint {fingerprint}. It has {tickets} equally "
        "likely tickets, each a panel meeting every published quota, computed with the "
        "{algorithm} algorithm. The winning ticket will be chosen by the procedure of RFC 3797 "
        "from the following public sources: {sources}, on {date}. Anyone can recompute the "
        "draw with 'sortition verify'."
    ),
    "lottery.sources_missing": "[name the public sources]",
    "lottery.date_missing": "[date of the draw]",
    "lottery.target": "Target chances: lowest {min}, highest {max}.",
    "lottery.rounding": "Largest difference between a ticket share and its target: {deviation}.",
    "lottery.download": "Download lottery.json",
    "reveal.title": "Draw from the public numbers",
    "reveal.help": (
        "When the announced numbers are known, enter each source on its own line, in the "
        "announced order."
    ),
    "reveal.sources": "Public numbers (one source per line)",
    "reveal.reserve_tickets": "Reserve tickets to draw as well",
    "reveal.start": "Draw the winning ticket",
    "reveal.no_sources": "Enter the public numbers first.",
    "progress.title": "Progress",
    "progress.title.select": "Drawing the panel",
    "progress.title.lottery": "Computing the lottery",
    "progress.title.replace": "Drawing replacements",
    "progress.state.running": "running",
    "progress.state.done": "finished",
    "progress.state.failed": "stopped with an error",
    "progress.state.cancelled": "cancelled",
    "progress.elapsed": "elapsed",
    "progress.seconds": "s",
    "progress.cancel": "Cancel",
    "progress.cancelled": "The computation was cancelled; no new result was written.",
    "progress.see_result": "See the result",
    "progress.back": "Back to the draw",
    "result.title": "The panel drawn",
    "result.seed": "Seed",
    "result.self_selection": (
        "Self-selection corrected on {categories}: spread of end-to-end chances across residents "
        "(coefficient of variation) {this}, against {equal} with equal chances"
    ),
    "result.zip": "Download every file (zip)",
    "result.report": "Open the public report",
    "result.files": "Files",
    "result.private": (
        "selected.csv, remaining.csv and reserves.csv hold personal data: keep them private. "
        "report.html, selection-log.json and probabilities.csv can be published."
    ),
    "result.reserves_coverage": (
        "They can repair {single} of {singles} single dropouts and {double} of {doubles} "
        "double dropouts."
    ),
    "result.verify": "Verify this draw",
    "result.verify_button": "Verify",
    "result.back": "Back to the draw's steps",
    "replace.title": "Replacements after dropouts",
    "replace.help": (
        "Enter the ids of those who left the panel; replacements are drawn among those not "
        "drawn so that every quota holds again."
    ),
    "replace.dropouts": "Ids of the dropouts (separated by commas or lines)",
    "replace.start": "Draw replacements",
    "replace.joined": "Replacements:",
    "verify.title": "Verify a draw",
    "verify.intro": (
        "Upload the published selection log, and the lottery file for a public lottery. With "
        "the volunteer list and the quota table as well, it also checks they are the ones used."
    ),
    "verify.log": "The log (selection-log.json, or invitations-log.json)",
    "verify.lottery": "Lottery file (lottery.json, for a public lottery)",
    "verify.pool": "Volunteer list (optional)",
    "verify.quotas": "Quota table (optional)",
    "verify.deep": "Also re-check the fairness claim (slower)",
    "verify.run": "Verify",
    "verify.outcome": "Outcome",
    "verify.passed": "VERIFIED: every check passed.",
    "verify.failed": "NOT VERIFIED: at least one check failed.",
    "verify.result": "Result",
    "verify.check": "Check",
    "verify.detail": "Detail",
    "verify.status.pass": "PASS",
    "verify.status.fail": "FAIL",
    "verify.status.skip": "skipped",
    "check.log fingerprint": "The log was not edited",
    "check.published pool and rules": "Published pool and rules",
    "check.input files": "Input files",
    "check.pool and rules readable": "Pool and rules readable",
    "check.every panel meets the rules": "Every panel meets the rules",
    "check.every ticket meets the rules": "Every ticket meets the rules",
    "check.probabilities": "Probabilities",
    "check.seed gives the panel": "The seed gives the panel",
    "check.selected panel": "Selected panel",
    "check.quota counts": "Quota counts",
    "check.completed panel": "Completed panel",
    "check.maximin certificate": "Fairness certificate",
    "check.lottery": "Lottery",
    "check.lottery fingerprint": "The lottery was not edited",
    "check.lottery and log agree": "Lottery and log agree",
    "check.key from sources": "Key from the public numbers",
    "check.ticket from key": "Ticket from the key",
    "check.ticket shares": "Ticket shares",
    "check.optimal distribution": "Optimal distribution",
    "error.title": "Something needs fixing",
    "error.file": "File",
    "error.row": "row",
    "error.column": "column",
    "error.hint": "How to fix it",
    "error.generic": "The request could not be served.",
    "error.not_found": (
        "There is no such page. This app serves only its own pages and the files of its "
        "draws; paths to other files are refused."
    ),
    "error.server": (
        "Something failed unexpectedly; nothing was written. The terminal where 'sortition "
        "serve' runs shows the details."
    ),
    "error.run.malformed": (
        "This address does not name a draw: a draw's id is 32 letters and digits (0-9, a-f). "
        "Paths to other files are refused."
    ),
    "error.run.missing": "There is no draw with this id (it may have been deleted).",
    "error.csrf": (
        "The form has expired or came from another page. Reload the page and send it again."
    ),
    "error.no_file": "There is no such file in this draw.",
    "error.not_ready": "Upload both files and read them (step 2) before drawing.",
    "error.bad_number": "A number or choice in the form is not valid.",
    "error.busy": "A computation is already running for this draw; wait or cancel it.",
    "guard.host.title": "Address not allowed",
    "guard.host.body": (
        "This server only answers at the address 127.0.0.1 or localhost of this computer."
    ),
    "guard.token.title": "Access token required",
    "guard.token.body": (
        "This server is reachable from the network, so every visit needs its access token. "
        "Open the address with ?token=... that 'sortition serve' printed when it started."
    ),
    "guard.csrf.title": "Request from another site refused",
    "guard.csrf.body": "Forms of this app can only be sent from its own pages.",
    "guard.size.title": "Upload too large",
    "guard.size.body": "The upload is larger than the limit of {size} MB and was refused.",
    "upload.bad_type": "{file}: this file type is not accepted here; use {types}.",
    "upload.empty": "{file} is empty.",
    "upload.not_xlsx": "{file} is named .xlsx but is not an Excel workbook.",
    "upload.not_json": "{file} is not a JSON file written by sortition.",
    "upload.not_csv": "{file} does not look like a CSV text file (it holds binary data).",
    "upload.no_log": "Upload the selection log (selection-log.json) to verify a draw.",
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
    "tables.panel_uploaded": "The uploaded panel {name} will be seated.",
    "tables.panel_none": (
        "Upload the panel to seat: a CSV or Excel file with an id column and the columns to "
        "balance, such as the selected.csv of a draw."
    ),
    "tables.panel_file": "Panel (CSV or Excel)",
    "tables.use_draw": "Seat the panel drawn in this run instead",
    "tables.settings": "Tables, rounds and rules",
    "tables.table_size": "Most members at one table",
    "tables.rounds": "Rounds",
    "tables.balance": "Columns to balance",
    "tables.balance_help": (
        "Every table should hold each value of these columns in proportion to the panel (within "
        "the floor and ceiling of its share)."
    ),
    "tables.spread": "Further columns to spread (optional)",
    "tables.spread_help": "Spread across tables after balance and new encounters.",
    "tables.rules": "Rules (optional)",
    "tables.rules_help": (
        "Keep together: a CSV or Excel file with columns group,id; each group shares a table in "
        "every round. Keep apart: columns id_a,id_b; these two never share a table."
    ),
    "tables.together": "Keep together",
    "tables.apart": "Keep apart",
    "tables.clear_rule": "remove this file",
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
    "tables.quality.repeats": "Pairs who meet more than once",
    "tables.quality.bound": "lower bound {bound}",
    "tables.quality.optimal": "optimal",
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
    "verify.register": "The register (only for an invitation log, to check its draw)",
}
