"""Spanish of the `--help` pages of the tools around the draw (quotas, invite, generate,
compare, sweep, serve, tables); merged into `sortition.i18n.es_help.HELP`, keyed like it by the
English text the commands declare."""

from __future__ import annotations

TOOLS_HELP: dict[str, str] = {
    # ---- quotas ----------------------------------------------------------------------------
    "Make a quota table from census counts by largest-remainder apportionment.\n\n"
    "COUNTS is a census in long format: one row per cell, with a count column.\n\n\b\n"
    "Example: sortition quotas census.csv --by sex,age_band,province --panel-size 100\n"
    '  --bands "18-29,30-44,45-59,60+" --rename sex=gender\n'
    "  --relabel sex:female=Mujer,male=Hombre --out quotas.csv": (
        "Arma una tabla de cuotas a partir de recuentos del censo, por reparto de mayor resto."
        "\n\nCOUNTS es un censo en formato largo: una fila por celda, con una columna de "
        "recuento.\n\n\b\n"
        "Ejemplo: sortition quotas census.csv --by sex,age_band,province --panel-size 100\n"
        '  --bands "18-29,30-44,45-59,60+" --rename sex=gender\n'
        "  --relabel sex:female=Mujer,male=Hombre --out quotas.csv"
    ),
    "Census columns to make quotas for, one feature each.": (
        "Columnas del censo para las que se arman cuotas, una característica cada una."
    ),
    "Quotas are the apportioned seats minus/plus this (within 0 and the panel size).": (
        "Las cuotas son los cupos repartidos menos/más esta cantidad (entre 0 y el tamaño del "
        "panel)."
    ),
    'Re-bin census age bands into these adult bands, e.g. "18-29,30-44,45-59,60+"; then only '
    "people of at least --adult-age count, in every category.": (
        "Reagrupar los tramos de edad del censo en estos tramos adultos, p. ej. "
        '"18-29,30-44,45-59,60+"; entonces solo cuentan las personas de --adult-age años o '
        "más, en todas las categorías."
    ),
    "With --bands: the youngest age counted (ages uniform within a census band).": (
        "Con --bands: la menor edad que se cuenta (edades uniformes dentro de un tramo censal)."
    ),
    "With --bands: the census column holding age bands.": (
        "Con --bands: la columna del censo con los tramos de edad."
    ),
    "Census column holding the population counts.": (
        "Columna del censo con los recuentos de población."
    ),
    "Name a census column as the pool's feature, e.g. sex=gender (repeatable).": (
        "Nombrar una columna del censo como la característica de la lista, p. ej. sex=gender "
        "(se puede repetir)."
    ),
    "Spell census values as the pool does, e.g. sex:female=Mujer,male=Hombre (repeatable; "
    "values relabelled alike are merged).": (
        "Escribir los valores del censo como en la lista, p. ej. sex:female=Mujer,male=Hombre "
        "(se puede repetir; los valores con la misma etiqueta nueva se juntan)."
    ),
    "Count only the census rows holding one of these values in COL, e.g. commune=Renca "
    "(repeatable: rows must meet every condition).": (
        "Contar solo las filas del censo con uno de estos valores en COL, p. ej. commune=Renca "
        "(se puede repetir: las filas deben cumplir todas las condiciones)."
    ),
    "The quota table to write (CSV: feature,value,min,max).": (
        "La tabla de cuotas que se escribe (CSV: feature,value,min,max)."
    ),
    # ---- invite ----------------------------------------------------------------------------
    "Draw invitations from an address or resident register, every resident equally likely.\n\n"
    "REGISTER is a CSV with one row per resident (or address) and a column of unique ids.\n"
    "Within each stratum a simple random sample is drawn, of the stratum's largest-remainder\n"
    "share of the invitations.\n\n\b\n"
    "Example: sortition invite register.csv --invitations 10000 --strata commune\n"
    "  --seed 2026 --out invitations.csv": (
        "Sortea invitaciones de un padrón de direcciones o de residentes, con la misma\n"
        "probabilidad para cada residente.\n\n"
        "REGISTER es un CSV con una fila por residente (o dirección) y una columna de ids\n"
        "únicos. En cada estrato se sortea una muestra aleatoria simple, de la parte de las\n"
        "invitaciones que le da el reparto de mayor resto.\n\n\b\n"
        "Ejemplo: sortition invite register.csv --invitations 10000 --strata commune\n"
        "  --seed 2026 --out invitations.csv"
    ),
    "Number of invitations to draw.": "Número de invitaciones que se sortean.",
    "Register columns to stratify by (proportional allocation by largest remainder); without "
    "it one simple random sample is drawn.": (
        "Columnas del padrón por las que se estratifica (reparto proporcional por mayor resto); "
        "sin ellas se sortea una sola muestra aleatoria simple."
    ),
    "Register column holding unique resident ids (the only column the log lists).": (
        "Columna del padrón con el id único de cada residente (la única columna que lista el "
        "registro)."
    ),
    "Any integer or text; the same register, options and seed repeat the draw exactly. Without "
    "it (and without --source) a seed is generated, printed and logged.": (
        "Cualquier número entero o texto; el mismo padrón, las mismas opciones y la misma "
        "semilla repiten el sorteo exactamente. Sin ella (y sin --source) se genera una "
        "semilla, que se muestra y queda en el registro."
    ),
    "Public random numbers instead of a seed, e.g. a lottery result (repeatable; their RFC 3797 "
    "key is the seed).": (
        "Números aleatorios públicos en vez de una semilla, p. ej. un resultado de la lotería "
        "(se puede repetir; su clave RFC 3797 es la semilla)."
    ),
    "CSV of the invited rows with every register column, for mailing: personal data, never to "
    "be published. Named .xlsx, an Excel workbook of the same cells.": (
        "CSV de las filas invitadas con todas las columnas del padrón, para el envío: datos "
        "personales, que nunca se publican. Con nombre .xlsx, una planilla de Excel con las "
        "mismas celdas."
    ),
    "The publishable invitation log (ids only) [default: OUT's name + '-log.json'].": (
        "El registro publicable de invitaciones (solo ids) [por defecto: el nombre de OUT + "
        "'-log.json']."
    ),
    # ---- generate --------------------------------------------------------------------------
    "Generate a realistic synthetic pool (self-selected, correlated features) and quotas.\n\n\b"
    "\nExample: sortition generate --profile uk --pool-size 5000 --panel-size 150\n"
    "  --features 8 --seed 7 --out generated/uk-5000\n\n\b\n"
    "Tight quotas, 4 in 5 volunteers sharing a household:\n"
    "  sortition generate --profile households --pool-size 200 --panel-size 20\n"
    "  --features 7 --quotas tight --household-share 0.8 --out generated/tight-200": (
        "Genera una lista de inscritos sintética y realista (autoseleccionada, con "
        "características correlacionadas) y sus cuotas.\n\n\b\n"
        "Ejemplo: sortition generate --profile uk --pool-size 5000 --panel-size 150\n"
        "  --features 8 --seed 7 --out generated/uk-5000\n\n\b\n"
        "Cuotas estrictas, 4 de cada 5 voluntarios comparten hogar:\n"
        "  sortition generate --profile households --pool-size 200 --panel-size 20\n"
        "  --features 7 --quotas tight --household-share 0.8 --out generated/tight-200"
    ),
    "Population model: uk, chile (2017 census), skewed (strong self-selection), households "
    "(chile with households).": (
        "Modelo de población: uk, chile (censo 2017), skewed (autoselección fuerte), households "
        "(chile con hogares)."
    ),
    "Number of registrants.": "Número de inscritos.",
    "Any integer or text; the same arguments and seed give the same files, byte for byte.": (
        "Cualquier número entero o texto; los mismos argumentos y la misma semilla dan los "
        "mismos archivos, byte por byte."
    ),
    "How many categories (1 to 8; default: 6 for uk/skewed, 5 for chile/households).": (
        "Cuántas categorías (1 a 8; por defecto: 6 para uk/skewed, 5 para chile/households)."
    ),
    "Quota bounds are the target seats -/+ this (default: 1 for panels below 100, else 2); "
    "widened by 1 until a panel exists. Loose quotas only.": (
        "Los límites de las cuotas son los cupos objetivo -/+ esta cantidad (por defecto: 1 "
        "para paneles de menos de 100, si no 2); se amplían de a 1 hasta que exista un panel. "
        "Solo cuotas holgadas."
    ),
    "Quota class: loose (target -/+ tolerance) or tight (floor/ceil of k x share, whole "
    "categories exact, a pool correlated through a latent engagement; see "
    "sortition/research/generator_tight.py).": (
        "Clase de cuotas: loose (objetivo -/+ tolerancia) o tight (piso/techo de k x "
        "proporción, categorías enteras exactas, una lista correlacionada por un compromiso "
        "latente; vea sortition/research/generator_tight.py)."
    ),
    "Share of registrants in households of 2-4, 0 to 0.9 (default: 0.3 for households, else "
    "0); any profile.": (
        "Proporción de inscritos en hogares de 2 a 4 personas, de 0 a 0.9 (por defecto: 0.3 "
        "para households, si no 0); cualquier perfil."
    ),
    "New or empty folder for pool.csv, quotas.csv and README.md (written all or nothing).": (
        "Carpeta nueva o vacía para pool.csv, quotas.csv y README.md (se escriben todos o ninguno)."
    ),
    # ---- compare ---------------------------------------------------------------------------
    "Run several algorithms on one instance and compare their fairness and runtime.\n\n"
    "A failing algorithm is reported in the table and never replaced; the exit status is "
    "non-zero\nonly if every algorithm failed.\n\n\b\n"
    "Example: sortition compare pool.csv quotas.csv --panel-size 20\n"
    "  --algorithms legacy,maximin,leximin --draws 1000 --seed 7 --out comparison": (
        "Ejecuta varios algoritmos sobre un mismo caso y compara su justicia y su tiempo.\n\n"
        "Un algoritmo que falla se informa en la tabla y nunca se reemplaza; el código de "
        "salida\nes distinto de cero solo si fallaron todos.\n\n\b\n"
        "Ejemplo: sortition compare pool.csv quotas.csv --panel-size 20\n"
        "  --algorithms legacy,maximin,leximin --draws 1000 --seed 7 --out comparison"
    ),
    "Algorithms to run, in this order (registered: leximin, maximin, nash, goldilocks, legacy, "
    "diversimax, fair-maxentropy, maxentropy).": (
        "Algoritmos que se ejecutan, en este orden (disponibles: leximin, maximin, nash, "
        "goldilocks, legacy, diversimax, fair-maxentropy, maxentropy)."
    ),
    "Seeded draws that estimate the probabilities of sampling algorithms (legacy).": (
        "Sorteos con semilla que estiman las probabilidades de los algoritmos de muestreo (legacy)."
    ),
    "Registrants equal on all these columns share a household; at most one per household is "
    "selected.": (
        "Los inscritos iguales en todas estas columnas comparten hogar; se selecciona a lo más "
        "uno por hogar."
    ),
    "Column of the pool holding unique ids.": "Columna de la lista de inscritos con ids únicos.",
    "Any integer or text; the same inputs and seed give the same figures (except runtimes).": (
        "Cualquier número entero o texto; los mismos datos y la misma semilla dan las mismas "
        "cifras (salvo los tiempos)."
    ),
    "Per algorithm, as in select: Stop after SECONDS. MAXIMIN, LEXIMIN, NASH and GOLDILOCKS "
    "then keep the best distribution found, labelled 'stopped by the time limit' with the gap "
    "it provably reached; with none yet (or LEGACY), stop with an error.": (
        "Por algoritmo, como en select: detenerse tras SECONDS segundos. MAXIMIN, LEXIMIN, NASH "
        "y GOLDILOCKS conservan entonces la mejor distribución encontrada, marcada 'detenido "
        "por el límite de tiempo' con la brecha que se demostró; si aún no hay ninguna (o con "
        "LEGACY), se detienen con un error."
    ),
    "New or empty folder for public/comparison.csv, probabilities.csv, expected_counts.csv, "
    "probabilities.png and metrics.png (written all or nothing).": (
        "Carpeta nueva o vacía para public/comparison.csv, probabilities.csv, "
        "expected_counts.csv, probabilities.png y metrics.png (se escriben todos o ninguno)."
    ),
    # ---- sweep -----------------------------------------------------------------------------
    "Run every instance x algorithm of GRID (a TOML file) as Dask tasks and write a tidy table"
    "\n(results.csv, results.parquet) and two plots to --out; an interrupted sweep resumes.\n\n"
    "Example: sortition sweep data/samples/sweep/grid.toml --out sweep-results": (
        "Ejecuta cada caso x algoritmo de GRID (un archivo TOML) como tareas de Dask y escribe\n"
        "una tabla ordenada (results.csv, results.parquet) y dos gráficos en --out; un barrido\n"
        "interrumpido se retoma.\n\n"
        "Ejemplo: sortition sweep data/samples/sweep/grid.toml --out sweep-results"
    ),
    "New folder, or the folder of a sweep to resume (finished cells are kept and skipped).": (
        "Carpeta nueva, o la carpeta de un barrido que se retoma (las celdas terminadas se "
        "conservan y se omiten)."
    ),
    "A running Dask scheduler, e.g. tcp://host:8786 (default: local).": (
        "Un planificador de Dask en marcha, p. ej. tcp://host:8786 (por defecto: local)."
    ),
    "Worker processes of the local cluster (default: one per core).": (
        "Procesos de trabajo del clúster local (por defecto: uno por núcleo)."
    ),
    "Stop a cell after this long; it is recorded as 'timeout'.": (
        "Detener una celda tras este tiempo; queda anotada como 'timeout'."
    ),
    "Address space (virtual memory) limit of each cell, well above its resident memory: allow "
    "1000 MB or more. Over it: 'out of memory'.": (
        "Límite del espacio de direcciones (memoria virtual) de cada celda, muy por encima de su "
        "memoria residente: permita 1000 MB o más. Si lo supera: 'out of memory'."
    ),
    "On resuming, run again the cells recorded as failed, timeout or out of memory (e.g. with "
    "higher limits).": (
        "Al retomar, ejecutar de nuevo las celdas anotadas como failed, timeout u out of memory "
        "(p. ej. con límites más altos)."
    ),
    # ---- serve -----------------------------------------------------------------------------
    "Start the local web app: upload, check, draw, lottery, verify, all in the browser.\n\n"
    "Example: sortition serve --lang es": (
        "Inicia la aplicación web local: subir, comprobar, sortear, lotería, verificar, todo en "
        "el navegador.\n\n"
        "Ejemplo: sortition serve --lang es"
    ),
    "Address to listen on. Any address other than this computer's loopback (127.0.0.1, "
    "localhost) needs the access token printed at start on every visit.": (
        "Dirección en la que escucha. Cualquier dirección distinta de la local de este "
        "computador (127.0.0.1, localhost) pide en cada visita el código de acceso que se "
        "muestra al iniciar."
    ),
    "Port to listen on.": "Puerto en el que escucha.",
    "Folder for the runs: uploaded files and results stay here (delete them in the app).": (
        "Carpeta de las ejecuciones: aquí quedan los archivos subidos y los resultados "
        "(bórrelos en la aplicación)."
    ),
    "Do not open the web browser.": "No abrir el navegador.",
    "Language of the app and its reports (default: from the locale, LANG).": (
        "Idioma de la aplicación y de sus informes (por defecto: el de la configuración "
        "regional, LANG)."
    ),
    # ---- tables ----------------------------------------------------------------------------
    "Seat the panel at tables for several rounds: balanced tables, new faces each round.\n\n"
    "Hard rules: every member at one table per round, table sizes differ by at most one,\n"
    "keep-together groups share a table, keep-apart pairs never do. Then, in this order: each"
    "\ntable's count of every --balance value within the floor and ceiling of its share, the "
    "fewest\nrepeated encounters, the --spread columns spread across tables.\n\n\b\n"
    "Example: sortition tables data/samples/assembly-150/panel.csv --table-size 10 --rounds 6\n"
    "  --balance gender,age_band,comuna,education --seed 7 --out tables\n\n"
    "After sessions already held, and changes to the panel, seat the rest with --earlier (the\n"
    "earlier tables.csv) and --held (the rounds that took place); --absent leaves out members who"
    "\nmiss them.": (
        "Sienta al panel en mesas durante varias rondas: mesas equilibradas, caras nuevas en\n"
        "cada ronda.\n\n"
        "Reglas obligatorias: cada integrante en una mesa por ronda, mesas cuyo tamaño difiere\n"
        "a lo más en uno, los grupos que van juntos comparten mesa, las parejas separadas "
        "nunca.\nLuego, en este orden: en cada mesa, el número de personas de cada valor de "
        "--balance\nentre el piso y el techo de su proporción; la menor cantidad de encuentros "
        "repetidos;\nlas columnas de --spread repartidas entre las mesas.\n\n\b\n"
        "Ejemplo: sortition tables data/samples/assembly-150/panel.csv --table-size 10 "
        "--rounds 6\n"
        "  --balance gender,age_band,comuna,education --seed 7 --out tables\n\n"
        "Tras sesiones ya realizadas y cambios en el panel, distribuya las que faltan con\n"
        "--earlier (el tables.csv anterior) y --held (las rondas que se realizaron); --absent\n"
        "deja fuera a quienes faltan a ellas."
    ),
    "tables.csv of the rounds already held: the new rounds follow them, members who met "
    "there count as having met, members no longer on the panel are left out.": (
        "tables.csv de las rondas ya realizadas: las rondas nuevas las siguen, quienes se "
        "encontraron allí cuentan como ya conocidos y se omite a quienes ya no están en el panel."
    ),
    "Panel members who miss the rounds seated now: they get no seat, and the tables are "
    "balanced among those who attend (with --earlier, their held rounds still count later).": (
        "Integrantes del panel que faltan a las rondas que se distribuyen ahora: no reciben mesa "
        "y las mesas se equilibran entre quienes asisten (con --earlier, sus rondas realizadas "
        "siguen contando después)."
    ),
    "With --earlier: how many of its rounds took place (default: all of them).": (
        "Con --earlier: cuántas de sus rondas se realizaron (por defecto: todas)."
    ),
    "Most members at one table.": "Máximo de integrantes en una mesa.",
    "Number of seating rounds (with --earlier: the rounds still ahead).": (
        "Número de rondas de mesas (con --earlier: las rondas que faltan)."
    ),
    "Columns whose values every table should hold in proportion to the panel.": (
        "Columnas cuyos valores cada mesa debe tener en proporción al panel."
    ),
    "Columns shown beside each id on the printable pages and in members.csv, such as "
    "first_name,last_name, so facilitators know who is who (the files then hold personal data).": (
        "Columnas que se muestran junto a cada identificador en las páginas imprimibles y en "
        "members.csv, como first_name,last_name, para que quienes facilitan sepan quién es "
        "quién (los archivos tienen entonces datos personales)."
    ),
    "Further columns to spread across tables, after balance and new encounters.": (
        "Otras columnas que se reparten entre las mesas, después del equilibrio y de los "
        "encuentros nuevos."
    ),
    "Column of the panel holding member ids.": "Columna del panel con el id de cada integrante.",
    "CSV/XLSX with columns group,id: each group shares a table in every round.": (
        "CSV/XLSX con columnas group,id: cada grupo comparte mesa en todas las rondas."
    ),
    "CSV/XLSX with columns id_a,id_b: these two never share a table.": (
        "CSV/XLSX con columnas id_a,id_b: estas dos personas nunca comparten mesa."
    ),
    "Any integer or text; the same inputs and seed give the same seating (default: a fresh "
    "seed, printed).": (
        "Cualquier número entero o texto; los mismos datos y la misma semilla dan las mismas "
        "mesas (por defecto: una semilla nueva, que se muestra)."
    ),
    "search: local search from the greedy seating; greedy: the greedy seating alone.": (
        "search: búsqueda local a partir de la asignación voraz; greedy: solo la asignación voraz."
    ),
    "Stop the search then and keep the best seating found (it then depends on the machine's "
    "speed, not on the seed alone).": (
        "Detener la búsqueda entonces y conservar las mejores mesas encontradas (dependen así "
        "de la velocidad del computador, no solo de la semilla)."
    ),
    "New or empty folder for tables.csv, members.csv (and .xlsx), summary.csv, "
    "repeats.csv and round-N.html (written all or nothing).": (
        "Carpeta nueva o vacía para tables.csv, members.csv (y .xlsx), summary.csv, "
        "repeats.csv y round-N.html (se escriben todos o ninguno)."
    ),
}
