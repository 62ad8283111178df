"""Spanish of the command line's `--help` pages, shown with `--lang es`.

Keyed by the English text as the commands declare it (a command's docstring after
`inspect.cleandoc`, an option's `help=`), so the English stays where it is written and a test
(tests/test_cli_help_es.py) checks that every help text of every command has its Spanish here
and that no entry is left over. Option names, file names, metavariables (POOL, OUT, SECONDS)
and examples stay as typed. A line holding only "\b" keeps the next paragraph's line breaks
(click's marker), as in the English.
"""

from __future__ import annotations

from sortition.i18n.es_help_tools import TOOLS_HELP

LANGUAGE = "en (inglés) o es (español)."  # ends every --lang help

HELP: dict[str, str] = {
    # ---- the command group -----------------------------------------------------------------
    "Fair, reproducible and auditable selection of citizens' panels by lottery.": (
        "Selección de paneles ciudadanos por sorteo: justa, reproducible y auditable."
    ),
    "Language of this help and of every command (as if each were given --lang): en (English) "
    "or es (español).": (
        "Idioma de esta ayuda y de todos los comandos (como si cada uno llevara --lang): "
        + LANGUAGE
    ),
    # ---- shared options --------------------------------------------------------------------
    "Number of people on the panel.": "Número de personas del panel.",
    "Column of the pool holding unique registrant ids.": (
        "Columna de la lista de inscritos con el id único de cada inscrito."
    ),
    "Registrants equal on all these columns share a household; at most one per household is "
    "selected. Blank cells never match.": (
        "Los inscritos iguales en todas estas columnas comparten hogar; se selecciona a lo más "
        "uno por hogar. Las celdas vacías nunca coinciden."
    ),
    "Columns whose shared values reveal duplicate registrations (default: the pool's e-mail "
    "and phone columns, recognized by name).": (
        "Columnas cuyos valores compartidos delatan inscripciones duplicadas (por defecto: las "
        "columnas de correo y teléfono de la lista, reconocidas por su nombre)."
    ),
    "MILP solver: HiGHS (highspy) or CBC (bundled with PuLP).": (
        "Solver MILP: HiGHS (highspy) o CBC (incluido en PuLP)."
    ),
    "Stop with an error if the check takes longer.": (
        "Detenerse con un error si la comprobación tarda más."
    ),
    "If infeasible, also write the corrected quota table to this CSV file.": (
        "Si es infactible, escribir además la tabla de cuotas corregida en este archivo CSV."
    ),
    "Replace an existing file at --write-corrected (without it, it is never overwritten).": (
        "Reemplazar un archivo que ya exista en --write-corrected (sin esta opción nunca se "
        "sobrescribe)."
    ),
    "Replace the results of an earlier run at --out, as a whole (without it they are never "
    "overwritten).": (
        "Reemplazar por completo los resultados de una ejecución anterior en --out (sin esta "
        "opción nunca se sobrescriben)."
    ),
    "How to make the lottery fair; never replaced silently.": (
        "Cómo hacer justo el sorteo; nunca se cambia por otro en silencio."
    ),
    "For --algorithm legacy: draws used to estimate probabilities.": (
        "Con --algorithm legacy: sorteos usados para estimar las probabilidades."
    ),
    "Stop the exact algorithms once provably within a relative gap G of optimal (e.g. 0.001; "
    "logged and checked by verify --deep). Default: to solver precision.": (
        "Detener los algoritmos exactos cuando estén demostradamente a menos de una brecha "
        "relativa G del óptimo (p. ej. 0.001; queda en el registro y verify --deep la "
        "comprueba). Por defecto: hasta la precisión del solver."
    ),
    "For --algorithm diversimax: everyone keeps a chance of at least (1 - E) times the maximin "
    "lowest probability (0 <= E < 1; logged).": (
        "Con --algorithm diversimax: cada persona conserva una probabilidad de al menos (1 - E) "
        "veces la probabilidad más baja de maximin (0 <= E < 1; queda en el registro)."
    ),
    "Stop after SECONDS. MAXIMIN, LEXIMIN, NASH and GOLDILOCKS then keep the best distribution "
    "found, labelled 'stopped by the time limit' with the gap it provably reached; with none "
    "yet (or LEGACY), stop with an error.": (
        "Detenerse tras SECONDS segundos. MAXIMIN, LEXIMIN, NASH y GOLDILOCKS conservan entonces "
        "la mejor distribución encontrada, marcada 'detenido por el límite de tiempo' con la "
        "brecha que se demostró; si aún no hay ninguna (o con LEGACY), se detienen con un error."
    ),
    "Columns holding personal data. An id column among them (or recognised as e-mails, phones, "
    "names or identity numbers) is replaced by pseudonyms in every publishable file.": (
        "Columnas con datos personales. Una columna de id entre ellas (o reconocida como "
        "correos, teléfonos, nombres o números de identidad) se reemplaza por seudónimos en "
        "todo archivo publicable."
    ),
    "Draw even if registrants share an e-mail or phone (each would have two chances).": (
        "Sortear aunque haya inscritos que compartan correo o teléfono (cada uno tendría dos "
        "oportunidades)."
    ),
    "Population per quota value (columns feature, value, population): aim each registrant's "
    "chance at the inverse of their estimated propensity to volunteer (raking), so residents "
    "end up with more equal chances. Needs leximin or maximin.": (
        "Población por valor de cuota (columnas feature, value, population): apunta la "
        "probabilidad de cada inscrito al inverso de su propensión estimada a inscribirse "
        "(raking), para que los residentes terminen con probabilidades más parejas. Requiere "
        "leximin o maximin."
    ),
    "For --algorithm fair-maxentropy: CSV of target probabilities (id, probability, e.g. a "
    "probabilities.csv); default: LEXIMIN's.": (
        "Con --algorithm fair-maxentropy: CSV de probabilidades objetivo (id, probability; p. "
        "ej. un probabilities.csv); por defecto: las de LEXIMIN."
    ),
    "CSV of earlier selections (id, process, date): keep out those selected within --cooldown "
    "months before --as-of.": (
        "CSV de selecciones anteriores (id, process, date): deja fuera a quienes fueron "
        "seleccionados en los --cooldown meses anteriores a --as-of."
    ),
    "With --history: how long a selected registrant sits out.": (
        "Con --history: cuánto tiempo queda fuera un inscrito ya seleccionado."
    ),
    "With --history: keep recent panelists out, or keep them in with their chance multiplied "
    "by --history-factor (leximin and maximin only).": (
        "Con --history: dejar fuera a quienes integraron un panel hace poco, o mantenerlos con "
        "su probabilidad multiplicada por --history-factor (solo leximin y maximin)."
    ),
    "With --history-mode weight: recent panelists' chance relative to others'.": (
        "Con --history-mode weight: la probabilidad de quienes integraron un panel hace poco, "
        "relativa a la de los demás."
    ),
    "With --history: the date the cooldown counts back from (required, so the draw can be "
    "repeated).": (
        "Con --history: la fecha desde la que se cuenta hacia atrás el período de espera "
        "(obligatoria, para que el sorteo se pueda repetir)."
    ),
    "Do not report progress on stderr.": "No mostrar el avance en stderr.",
    "New or empty folder for the output files (written all or nothing).": (
        "Carpeta nueva o vacía para los archivos de salida (se escriben todos o ninguno)."
    ),
    "Language of the report on screen and error messages: en (English) or es (español).": (
        "Idioma del informe en pantalla y de los mensajes de error: " + LANGUAGE
    ),
    "Language of the published report.html, the summary on screen and error messages: en "
    "(English) or es (español).": (
        "Idioma del report.html publicado, del resumen en pantalla y de los mensajes de error: "
        + LANGUAGE
    ),
    "Language of the statement to publish, the summary on screen and error messages: en "
    "(English) or es (español).": (
        "Idioma de la declaración que se publica, del resumen en pantalla y de los mensajes de "
        "error: " + LANGUAGE
    ),
    "Language of the table of checks and error messages: en (English) or es (español).": (
        "Idioma de la tabla de comprobaciones y de los mensajes de error: " + LANGUAGE
    ),
    "Language of the table on screen and error messages: en (English) or es (español).": (
        "Idioma de la tabla en pantalla y de los mensajes de error: " + LANGUAGE
    ),
    "Language of the summary on screen and error messages: en (English) or es (español).": (
        "Idioma del resumen en pantalla y de los mensajes de error: " + LANGUAGE
    ),
    "Language of the printable round-N.html pages, the summary on screen and error messages: "
    "en (English) or es (español).": (
        "Idioma de las páginas imprimibles round-N.html, del resumen en pantalla y de los "
        "mensajes de error: " + LANGUAGE
    ),
    # ---- check -----------------------------------------------------------------------------
    "Check that some panel meets every quota; if none does, suggest the smallest fix.\n\n"
    "Example: sortition check pool.csv quotas.csv --panel-size 40 --household-columns address": (
        "Comprueba que algún panel cumpla todas las cuotas; si ninguno las cumple, sugiere el "
        "menor ajuste.\n\n"
        "Ejemplo: sortition check pool.csv quotas.csv --panel-size 40 --household-columns address"
    ),
    # ---- select ----------------------------------------------------------------------------
    "Draw one panel by a fair lottery: publishable files (probabilities, selection log) go to\n"
    "OUT/public/, personal ones (selected, remaining, reserves) to OUT/private/.\n\n"
    "Example: sortition select pool.csv quotas.csv --panel-size 40 --seed 2026 --out selection": (
        "Sortea un panel con una lotería justa: los archivos publicables (probabilidades,\n"
        "registro del sorteo) van a OUT/public/ y los personales (seleccionados, no\n"
        "seleccionados, reservas) a OUT/private/.\n\n"
        "Ejemplo: sortition select pool.csv quotas.csv --panel-size 40 --seed 2026 --out "
        "selection"
    ),
    "Also rank this many reserves who can replace dropouts without breaking quotas "
    "(reserves.csv); reports how many single and double dropouts they can repair.": (
        "Ordenar además este número de reservas que pueden reemplazar renuncias sin romper las "
        "cuotas (reserves.csv); informa cuántas renuncias simples y dobles pueden reparar."
    ),
    "Draw this many disjoint panels from the pool, one after another, each meeting the quotas "
    "(written to OUT/panel-1, OUT/panel-2, ...).": (
        "Sortear este número de paneles sin personas en común, uno tras otro, cada uno "
        "cumpliendo las cuotas (se escriben en OUT/panel-1, OUT/panel-2, ...)."
    ),
    "Any integer or text; the same inputs and seed repeat the draw exactly. Without it a seed "
    "is generated, printed and logged.": (
        "Cualquier número entero o texto; los mismos datos y la misma semilla repiten el sorteo "
        "exactamente. Sin ella se genera una semilla, que se muestra y queda en el registro."
    ),
    # ---- lottery ---------------------------------------------------------------------------
    "Commit: compute a ticket lottery to publish before the public random numbers exist.\n\n"
    "Example: sortition lottery pool.csv quotas.csv --panel-size 40 --out lottery.json": (
        "Compromiso: calcula una lotería de boletos para publicarla antes de que existan los "
        "números aleatorios públicos.\n\n"
        "Ejemplo: sortition lottery pool.csv quotas.csv --panel-size 40 --out lottery.json"
    ),
    "Number of equally likely tickets, each a panel meeting every quota.": (
        "Número de boletos igualmente probables, cada uno un panel que cumple todas las cuotas."
    ),
    "The public sources the draw will use, as announced (goes into the lottery file).": (
        "Las fuentes públicas que usará el sorteo, tal como se anunciaron (quedan en el archivo "
        "de la lotería)."
    ),
    "When the draw will take place.": "Cuándo se realizará el sorteo.",
    "The lottery file to publish before the draw.": (
        "El archivo de la lotería que se publica antes del sorteo."
    ),
    # ---- draw ------------------------------------------------------------------------------
    "Reveal: draw the winning ticket of a published lottery from public random numbers.\n\n"
    'Example: sortition draw lottery.json --source "17 20 22 35 36 38 48" --source 90193202': (
        "Revelación: sortea el boleto ganador de una lotería publicada a partir de números "
        "aleatorios públicos.\n\n"
        'Ejemplo: sortition draw lottery.json --source "17 20 22 35 36 38 48" --source 90193202'
    ),
    'One public source of random numbers, e.g. "17 20 22 35 36 38 48"; repeat it for each '
    "source, in the announced order.": (
        'Una fuente pública de números aleatorios, p. ej. "17 20 22 35 36 38 48"; repítala para '
        "cada fuente, en el orden anunciado."
    ),
    "Also draw this many further tickets, in order, as a published reserve sequence.": (
        "Sortear además este número de boletos siguientes, en orden, como secuencia publicada "
        "de reservas."
    ),
    "The full pool file, to write every column in private/selected.csv and "
    "private/remaining.csv (checked against the lottery).": (
        "La lista de inscritos completa, para escribir todas sus columnas en "
        "private/selected.csv y private/remaining.csv (se compara con la lotería)."
    ),
    # ---- verify ----------------------------------------------------------------------------
    "Re-check a draw from its selection log; exit 0 only if every check passes.\n\n"
    "Every file of the result set found beside the log (its public/ folder, and ../private/ "
    "when\npresent) is checked against the SHA-256 the log records; a changed file is named.\n\n"
    "Example: sortition verify selection/selection-log.json --lottery lottery.json --deep": (
        "Vuelve a comprobar un sorteo a partir de su registro; termina con 0 solo si todas las\n"
        "comprobaciones pasan.\n\n"
        "Cada archivo de los resultados que esté junto al registro (su carpeta public/, y\n"
        "../private/ si existe) se compara con el SHA-256 que anota el registro; si alguno\n"
        "cambió, se nombra.\n\n"
        "Ejemplo: sortition verify selection/selection-log.json --lottery lottery.json --deep"
    ),
    "The published lottery file (needed for logs of 'sortition draw').": (
        "El archivo publicado de la lotería (necesario para registros de 'sortition draw')."
    ),
    "The original pool file, to check it against the log (with --quotas).": (
        "La lista de inscritos original, para compararla con el registro (con --quotas)."
    ),
    "The original quota table, to check it against the log (with --pool).": (
        "La tabla de cuotas original, para compararla con el registro (con --pool)."
    ),
    "For an invitation log: the register the invitations were drawn from.": (
        "Para un registro de invitaciones: el padrón del que se sortearon las invitaciones."
    ),
    "For a replacement's log: the original draw's log, to re-derive who was eligible and the "
    "shifted quotas.": (
        "Para el registro de un reemplazo: el registro del sorteo original, para volver a "
        "deducir quiénes podían ser elegidos y las cuotas ajustadas."
    ),
    "For a second or later replacement (with --original): the log of the replacement before it.": (
        "Para un segundo reemplazo o posterior (con --original): el registro del reemplazo "
        "anterior."
    ),
    "Also re-check the fairness claim: re-solve the panel problem for the logged dual weights "
    "(a certificate that the lowest probability could not be raised).": (
        "Comprobar además la afirmación de justicia: resolver de nuevo el problema del panel "
        "con los pesos duales del registro (un certificado de que la probabilidad más baja no "
        "podía subir)."
    ),
    "MILP solver for --deep.": "Solver MILP para --deep.",
    # ---- replace ---------------------------------------------------------------------------
    "Replace members who dropped out so that every quota holds again, as fairly as the draw."
    "\n\nLOG is the original draw's selection-log.json; for a later wave of dropouts, add the "
    "latest\nreplacement's log with --after.\n\n"
    "Example: sortition replace selection/public/selection-log.json --dropouts dropouts.csv "
    "--seed 7": (
        "Reemplaza a quienes renunciaron para que todas las cuotas se cumplan de nuevo, con la\n"
        "misma justicia que el sorteo.\n\n"
        "LOG es el selection-log.json del sorteo original; para una ola posterior de "
        "renuncias,\nagregue el registro del último reemplazo con --after.\n\n"
        "Ejemplo: sortition replace selection/public/selection-log.json --dropouts dropouts.csv "
        "--seed 7"
    ),
    "CSV listing the ids of members who dropped out (the pool's id column or 'id', else the "
    "first column): the log's pseudonymous ids, or real ids when --pool or the private folder "
    "beside the log maps them.": (
        "CSV con los ids de quienes renunciaron (la columna de id de la lista o 'id'; si no, la "
        "primera columna): los seudónimos del registro, o los ids reales cuando --pool o la "
        "carpeta privada junto al registro permiten traducirlos."
    ),
    "For a second (or later) wave of dropouts: the selection-log.json of the latest earlier "
    "replacement of this draw. Its completed panel is the panel now, and no one drawn before "
    "is drawn again.": (
        "Para una segunda ola de renuncias (o posterior): el selection-log.json del último "
        "reemplazo anterior de este sorteo. Su panel completado es el panel actual, y nadie "
        "sorteado antes vuelve a ser sorteado."
    ),
    "The full pool file, to write every column in the outputs.": (
        "La lista de inscritos completa, para escribir todas sus columnas en los resultados."
    ),
    "Default: the algorithm of the original draw.": (
        "Por defecto: el algoritmo del sorteo original."
    ),
    "Seed text for the replacement draw.": "Texto de la semilla del sorteo de reemplazo.",
    "Public random numbers instead of a seed (their RFC 3797 key is the seed).": (
        "Números aleatorios públicos en vez de una semilla (su clave RFC 3797 es la semilla)."
    ),
    **TOOLS_HELP,
}

# click's own words on the help pages and around its usage errors
CLICK: dict[str, str] = {
    "Usage: ": "Uso: ",
    "[OPTIONS]": "[OPCIONES]",
    "COMMAND [ARGS]...": "COMANDO [ARGUMENTOS]...",
    "Options": "Opciones",
    "Commands": "Comandos",
    "Show this message and exit.": "Muestra este mensaje y termina.",
    "Show the version and exit.": "Muestra la versión y termina.",
    "required": "obligatorio",
    "default: {default}": "por defecto: {default}",
    "env var: {var}": "variable de entorno: {var}",
    "Try '{command} {option}' for help.": "Pruebe '{command} {option}' para ver la ayuda.",
    "Aborted!": "¡Interrumpido!",
    "Invalid value for {param_hint}: {message}": "Valor no válido para {param_hint}: {message}",
    "Invalid value: {message}": "Valor no válido: {message}",
}


# click's usage error messages (click 8.x, as regular expressions) and their Spanish, "{0}"
# for the first group matched; `cli.help_language.spanish_message` tries them in order and
# leaves a message none matches in English
CLICK_MESSAGES: list[tuple[str, str]] = [
    (r"Missing argument ('[^']*')\.", "Falta el argumento {0}."),
    (r"Missing option ('[^']*'(?: / '[^']*')*)\.", "Falta la opción {0}."),
    (
        r"Missing option ('[^']*'(?: / '[^']*')*)\. Choose from:(.*)",
        "Falta la opción {0}. Elija entre:{1}",
    ),
    (r"Missing parameter ('[^']*')\.", "Falta el parámetro {0}."),
    (r"Missing command\.", "Falta el comando."),
    (
        r"No such option:? '?([^'\s]+?)'?\.? Did you mean (\S+)\?",
        "No existe la opción '{0}'. ¿Quiso decir {1}?",
    ),
    (
        r"No such option:? '?([^'\s]+?)'?\.? \(Possible options: (.+)\)",
        "No existe la opción '{0}' (opciones posibles: {1}).",
    ),
    (r"No such option:? '?([^'\s]+?)'?\.?", "No existe la opción '{0}'."),
    (r"No such command (.+)\. Did you mean (.+)\?", "No existe el comando {0}. ¿Quiso decir {1}?"),
    (r"No such command (.+)\.", "No existe el comando {0}."),
    (r"Got unexpected extra argument \((.+)\)", "Sobra un argumento ({0})."),
    (r"Got unexpected extra arguments \((.+)\)", "Sobran argumentos ({0})."),
    (r"Option (.+) requires an argument\.", "La opción {0} necesita un valor."),
    (r"Option (.+) requires (\d+) arguments\.", "La opción {0} necesita {1} valores."),
    (r"Option (.+) does not take a value\.", "La opción {0} no lleva valor."),
]

# what follows "Invalid value for X: " in click's messages, in the same form
CLICK_VALUES: list[tuple[str, str]] = [
    (r"(.+) is not a valid integer\.", "{0} no es un número entero válido."),
    (r"(.+) is not a valid float\.", "{0} no es un número válido."),
    (r"(.+) is not a valid boolean\..*", "{0} no es un valor sí/no válido."),
    (r"(.+) is not one of (.+)\.", "{0} no es uno de {1}."),
    (r"(.+) is not in the range (.+)\.", "{0} no está en el rango {1}."),
    (r"File (.+) does not exist\.", "El archivo {0} no existe."),
    (r"Directory (.+) does not exist\.", "La carpeta {0} no existe."),
    (r"Path (.+) does not exist\.", "La ruta {0} no existe."),
    (r"(?:File|Path) (.+) is a directory\.", "{0} es una carpeta."),
    (r"(?:Directory|Path) (.+) is a file\.", "{0} es un archivo."),
    (r"(?:File|Directory|Path) (.+) is not readable\.", "{0} no se puede leer."),
    (r"(?:File|Directory|Path) (.+) is not writable\.", "{0} no se puede escribir."),
    (r"(.+) is not (.+)\.", "{0} no es {1}."),  # last: the particular "is not ..." come first
]
