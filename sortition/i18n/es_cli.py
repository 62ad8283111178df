"""Spanish of what the command line prints on screen after a run with `--lang es` (same keys as
`sortition.i18n.en_cli`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---- select ----------------------------------------------------------------------------
    "cli.summary.selected": (
        "Se seleccionaron {k} de {n} inscritos con {algorithm} (semilla {seed})."
    ),
    "cli.summary.seed_generated": (
        "{seed} (generada; indique --seed {seed} para repetir este sorteo)"
    ),
    "cli.summary.feature": "característica",
    "cli.summary.value": "valor",
    "cli.summary.min": "mín",
    "cli.summary.max": "máx",
    "cli.summary.selected_count": "seleccionados",
    "cli.summary.completed": "panel completado",
    "cli.summary.probabilities": (
        "Probabilidades de selección ({kind}, sobre {panels} paneles): más baja {min}, más "
        "alta {max}, parte igual k/n {share}, gini {gini}."
    ),
    "cli.kind.exact": "exactas",
    "cli.summary.ids": "Ids seleccionados: {ids}",
    "cli.summary.correction": (
        "Autoselección corregida en {categories} ({passes} pasadas de ajuste). Probabilidades "
        "de principio a fin entre los residentes, mayor/menor y coeficiente de variación: con "
        "probabilidades iguales {before_ratio} y {before_variation}; con esta lotería "
        "{after_ratio} y {after_variation}."
    ),
    "cli.summary.reserves": "Reservas, en orden: {ids}",
    "cli.summary.reserves_repair": (
        "Pueden reparar {singles_repaired} de {singles} renuncias simples ({single_share}) y "
        "{doubles_repaired} de {doubles} renuncias dobles ({double_share})."
    ),
    "cli.summary.wrote": "Resultados escritos en {out}/.",
    "cli.summary.panel_heading": "=== Panel {number} de {panels} ===",
    "cli.summary.wrote_panels": "Paneles panel-1 ... panel-{panels} escritos en {out}/.",
    "cli.where.publish": "Publicar: {folders}",
    "cli.where.private": "Mantener en privado (datos personales): {folders}",
    # ---- check -----------------------------------------------------------------------------
    "cli.check.feasible": (
        "Factible: un panel de {k} entre {n} inscritos puede cumplir todas las cuotas."
    ),
    "cli.check.feasible_households": (
        "Factible: un panel de {k} entre {n} inscritos puede cumplir todas las cuotas y la regla "
        "de hogares."
    ),
    "cli.check.infeasible": "Infactible: ningún panel de {k} cumple todas las cuotas.",
    "cli.check.no_relaxation": (
        "Ningún cambio de las cuotas dentro de sus márgenes de flexibilidad hace posible un panel."
    ),
    "cli.check.relaxation": "Menor relajación: {cost} unidad(es) de cambio en las cuotas.",
    "cli.check.old_min": "mín anterior",
    "cli.check.old_max": "máx anterior",
    "cli.check.new_min": "mín nuevo",
    "cli.check.new_max": "máx nuevo",
    "cli.check.corrected": "Tabla de cuotas corregida (CSV):",
    "cli.check.written": "Escrita en {path}.",
    "cli.duplicates.no_columns": (
        "No se encontró una columna de correo o teléfono; indique --contact-columns para buscar "
        "duplicados."
    ),
    "cli.duplicates.none": "No hay inscripciones duplicadas (se compararon {columns}).",
    "cli.duplicates.groups": "{count} grupo(s) de inscritos comparten datos de contacto:",
    "cli.duplicates.group": "- filas {rows} (ids {ids}): {shared}",
    "cli.duplicates.refused": (
        "select y lottery no sortean hasta que se resuelva, salvo con --allow-duplicates."
    ),
    # ---- quotas from the census ------------------------------------------------------------
    "cli.census.heading": (
        "Cuotas para un panel de {k} a partir de {file} ({who}{where}; mayor resto, tolerancia "
        "{tolerance}):"
    ),
    "cli.census.everyone": "todas las personas censadas",
    "cli.census.adults": "de {age} años o más",
    "cli.census.where": ", {column} = {values}",
    "cli.census.or": " o ",
    "cli.census.partial": (
        "El tramo censal {band} se contó como {share} de su recuento (edades uniformes dentro "
        "del tramo)."
    ),
    "cli.census.population": "población",
    "cli.census.share": "proporción",
    "cli.census.exact": "exacto",
    "cli.census.seats": "cupos",
    "cli.census.wrote": "Escrito {path}.",
    # ---- invitations -----------------------------------------------------------------------
    "cli.invite.stratified": (
        "{invitations} invitaciones sorteadas entre {population} residentes de {path}, "
        "estratificadas por {columns} ({strata} estratos, mayor resto)."
    ),
    "cli.invite.unstratified": (
        "{invitations} invitaciones sorteadas entre {population} residentes de {path}, sin "
        "estratos."
    ),
    "cli.invite.key": "Números aleatorios: clave RFC 3797 {seed} de las fuentes públicas.",
    "cli.invite.generated": (
        "Números aleatorios: semilla {seed} (generada; indique --seed {seed} para repetir el "
        "sorteo)."
    ),
    "cli.invite.given": "Números aleatorios: semilla {seed} (indicada).",
    "cli.invite.probability": (
        "Probabilidad de inclusión: {overall} en total; por estrato de {low} a {high}."
    ),
    "cli.invite.population": "población",
    "cli.invite.invitations": "invitaciones",
    "cli.invite.probability_header": "probabilidad",
    "cli.invite.in_log": "La asignación de los {strata} estratos está en el registro.",
    "cli.invite.wrote": "Escritos {out} y {log}.",
    "cli.invite.publish": "Publicar: {log} (solo ids, estratos y recuentos).",
    "cli.invite.private": (
        "Mantener en privado (datos personales): {out} (todas las columnas del padrón, para el "
        "envío; nunca lo publique)."
    ),
    # ---- lottery and draw ------------------------------------------------------------------
    "cli.lottery.written": "Lotería de {tickets} boletos escrita en {path}.",
    "cli.lottery.fingerprint": "Huella (SHA-256): {fingerprint}",
    "cli.lottery.target": (
        "Probabilidades objetivo ({algorithm}, {kind}): más baja {min}, más alta {max}."
    ),
    "cli.lottery.shares": (
        "Proporción de boletos: más baja {min}, más alta {max}; mayor diferencia con el objetivo "
        "{deviation}; inscritos con objetivo positivo pero sin boleto: {unrepresented}."
    ),
    "cli.lottery.statement_heading": "Declaración que se debe publicar antes del sorteo:",
    "cli.lottery.publish": "Publicar: {path} (sin datos personales).",
    "cli.draw.key": "Clave (RFC 3797): {key}",
    "cli.draw.ticket": "Boleto ganador: {ticket} de {tickets} (lotería {fingerprint}...).",
    "cli.draw.reserves": "Boletos de reserva, en orden: {tickets}",
    "cli.draw.pseudonyms": (
        "La lotería lista ids seudónimos (su columna de id contiene datos personales); indique "
        "--pool con la lista de voluntarios para escribir los ids reales en los archivos "
        "privados."
    ),
    # ---- replace ---------------------------------------------------------------------------
    "cli.replace.wave": (
        "Reemplazo {number} de este sorteo: el panel tal como lo dejaron los reemplazos "
        "anteriores; {drawn} personas sorteadas antes no pueden volver a ser sorteadas."
    ),
    "cli.replace.dropouts": "Renuncias: {ids}",
    "cli.replace.replacements": "Reemplazos ({algorithm}, semilla {seed}, {source}): {ids}",
    "cli.replace.source.given": "indicada",
    "cli.replace.source.generated": "generada",
    "cli.replace.source.rfc3797 key of the public sources": (
        "clave RFC 3797 de las fuentes públicas"
    ),
    "cli.replace.eligible": (
        "Elegibles: {count} inscritos (no sorteados, que no viven con un integrante que sigue, "
        "y sin un valor que ya esté en su máximo)."
    ),
    # ---- tables ----------------------------------------------------------------------------
    "cli.tables.seed": "Semilla: {seed} (indique --seed {seed} para repetir esta distribución)",
    "cli.tables.seated": (
        "{members} integrantes distribuidos en {tables} mesas de {sizes} durante {rounds} "
        "ronda(s) en {seconds} s {how}"
    ),
    "cli.tables.size_or": " o ",
    "cli.tables.greedy": "(voraz).",
    "cli.tables.search": "(búsqueda: {stopped}).",
    "cli.tables.stopped.lower bound reached": "cota inferior alcanzada",
    "cli.tables.stopped.no improvement": "sin mejora",
    "cli.tables.stopped.step limit": "límite de pasos",
    "cli.tables.stopped.time limit": "límite de tiempo",
    "cli.tables.start": (
        "Inicio voraz: {outside} fuera de piso/techo, {repeats} parejas repetidas; ahora "
        "{outside_now} y {repeats_now}."
    ),
    "cli.tables.time_limited": (
        "Nota: el límite de tiempo detuvo la búsqueda, así que esta distribución depende de la "
        "velocidad de la máquina además de la semilla."
    ),
    "cli.tables.which": (
        "repeats.csv lista las {pairs} pareja(s) que se vuelven a encontrar, con las rondas; en "
        "las páginas de cada ronda, la ficha de cada mesa las nombra."
    ),
    "cli.tables.which_more": (
        "repeats.csv lista las {pairs} pareja(s) que se vuelven a encontrar, con las rondas (una "
        "pareja que se encuentra tres veces cuenta dos arriba); en las páginas de cada ronda, la "
        "ficha de cada mesa las nombra."
    ),
    "cli.tables.fewer": (
        "Cada columna equilibrada mantiene cada mesa cerca de la composición del panel, lo que "
        "deja pocas maneras de sentar juntas a personas que aún no se conocen; para que menos "
        "parejas se repitan, equilibre menos columnas (--spread para las demás) o distribuya "
        "menos rondas."
    ),
    "cli.tables.earlier": (
        "Rondas ya realizadas: {held} (de {file}), en las que se sentaron {seated} de los "
        "{members} integrantes ({new} nuevo(s) desde entonces); ya no están en el panel: {left} "
        "de quienes se sentaron allí. Esta distribución son las rondas {first}-{last}; sus "
        "parejas repetidas cuentan también las rondas realizadas."
    ),
    "cli.tables.absent": (
        "Ausentes en las rondas {first}-{last}: {count} integrante(s), {ids}. No se les asigna "
        "mesa; las mesas se equilibran entre quienes asisten, y tables.csv conserva sus rondas "
        "anteriores para cuando vuelvan."
    ),
    "cli.tables.absent_more": "{ids} y {more} más",
    "cli.tables.wrote": (
        "tables.csv, members.csv, members.xlsx, summary.csv, repeats.csv y "
        "round-{first}..{last}.html escritos en {out}/."
    ),
    "cli.quality.line": "Calidad: {parts}",
    "cli.quality.repeats": "parejas repetidas {repeats} ({bound})",
    "cli.quality.optimal": "cota inferior {bound}, óptimo",
    "cli.quality.above": "cota inferior {bound}, {gap} por encima",
    "cli.quality.worst": "peor mesa fuera de piso/techo: {worst}",
    "cli.quality.none": "ninguna",
    "cli.quality.spread": "reparto: {spread}",
    "cli.quality.broken": "REGLAS NO CUMPLIDAS: {rules}",
    "cli.quality.rules": "reglas cumplidas: {together} juntos, {apart} separados",
    "cli.quality.sizes": "reglas cumplidas (los tamaños difieren en a lo más uno)",
    "cli.serve.folder": "sortition serve: carpeta de trabajo {folder}",
    "cli.serve.network": (
        "Escuchando en {host}, accesible desde la red: cada visita necesita la clave de acceso. "
        "Abra esta dirección una vez (solo se muestra ahora):"
    ),
    "cli.serve.open": "Abra esta dirección en un navegador (Ctrl-C detiene el servidor):",
}
