"""Spanish of the web app's wording of library texts that name the command line (keys ``in_app.*``;
see `sortition.web.app_texts`): the same advice, naming the page's field or step."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "in_app.time_limit": (
        "aumente el tiempo máximo (Opciones avanzadas) o déjelo vacío; no se probó nada más en "
        "su lugar"
    ),
    "in_app.time_limit_raise": "aumente el tiempo máximo (Opciones avanzadas)",
    "in_app.time_limit_positive": "escriba un tiempo máximo de más de 0 segundos, o déjelo vacío",
    "in_app.gap": (
        "escriba una brecha de optimalidad mayor que 0 y de a lo más {f0} (p. ej. 0,001), o "
        "déjela vacía"
    ),
    "in_app.fairness_slack": (
        "escriba una holgura de equidad de 0 a menos de 1 (p. ej. 0,05: cada persona conserva al "
        "menos el 95 % del mínimo de MAXIMIN)"
    ),
    "in_app.gap_advice": (
        "leximin: realizarlo exactamente puede tardar; una brecha de optimalidad de 0,01 "
        "(Opciones avanzadas) se detiene a menos de 1 %"
    ),
    "in_app.use_leximin": (
        "elija el algoritmo LEXIMIN, o informe de este caso a quienes mantienen el programa"
    ),
    "in_app.use_fair_maxentropy": "elija el algoritmo FAIR-MAXENTROPY, o afloje las cuotas",
    "in_app.use_algorithm": "elija el algoritmo {f0}",
    "in_app.check": (
        'el paso 3, "Comprobar las cuotas", muestra qué cuotas están en conflicto y propone una '
        "tabla corregida"
    ),
    "in_app.check_conflicts": (
        'el paso 3, "Comprobar las cuotas", muestra qué cuotas están en conflicto'
    ),
    "in_app.duplicates": (
        'quite los duplicados de la lista de voluntarios, o marque "Sortear aunque algunos '
        'voluntarios se inscribieron dos veces" (Opciones avanzadas)'
    ),
    "in_app.id_column": "elija la columna con el identificador único de cada voluntario (paso 2)",
    "in_app.panel_size": "escriba el tamaño del panel: un número entero de al menos 1",
    "in_app.reserves": "escriba 0 o más reservas a ordenar",
    "in_app.personal": "use otra columna como categoría de las cuotas",
    "in_app.history_exclude": (
        "elija LEXIMIN o MAXIMIN, o deje fuera de este sorteo a quienes participaron hace poco "
        "(Opciones avanzadas)"
    ),
    "in_app.history_algorithm": (
        "elija {f0}, o deje fuera de este sorteo a quienes participaron hace poco (Opciones "
        "avanzadas)"
    ),
    "in_app.cooldown": "escriba 0 o más meses que una persona seleccionada queda fuera",
    "in_app.history_factor": (
        "escriba su probabilidad relativa a la de los demás entre 0 y 1, p. ej. 0,5 para reducirla "
        "a la mitad"
    ),
    "in_app.history_weight_algorithm": (
        "mantener con menos probabilidad a quienes participaron hace poco necesita un algoritmo "
        "que respete los factores de probabilidad; {f0} no lo hace"
    ),
    "in_app.two_factors": (
        "corregir la autoselección y mantener con menos probabilidad a quienes participaron hace "
        "poco fijan ambos factores de probabilidad"
    ),
    "in_app.two_factors_fix": (
        "use solo uno de ellos (dejar fuera de este sorteo a quienes participaron hace poco "
        "funciona con cualquiera)"
    ),
    "in_app.overwrite": (
        "marque la casilla que reemplaza los resultados anteriores, para reemplazarlos por completo"
    ),
    "in_app.seed_or_source": "indique una semilla o números públicos, no ambos",
    "in_app.source": "escriba los números publicados",
    "in_app.source_numbers": (
        "escriba cada fuente como números, p. ej. 17 20 22 35, una fuente por línea"
    ),
    "in_app.reserve_tickets": "sortee menos de {f0} boletos de reserva",
    "in_app.dropouts": (
        "indique solo identificadores de integrantes del panel tal como lo dejó el último reemplazo"
    ),
    "in_app.register": "suba también el padrón del que se sortearon las invitaciones",
    "in_app.lottery": "suba también el archivo de la lotería publicada (lottery.json)",
    "in_app.pool_quotas": "la lista de voluntarios y la tabla de cuotas van juntas",
    "in_app.compare_inputs": (
        "suba la lista de voluntarios y la tabla de cuotas para compararlas con las originales"
    ),
    "in_app.deep": 'marque "Comprobar también la afirmación de justicia" para comprobarla',
    "in_app.not_replacement": (
        "el registro del sorteo original y el del reemplazo anterior son solo para el registro de "
        "un reemplazo; este registro es de un sorteo"
    ),
    "in_app.after_original": (
        "el registro del reemplazo anterior va junto con el registro del sorteo original"
    ),
    "in_app.original": (
        "suba también el registro del sorteo original, para volver a derivar quiénes podían "
        "reemplazar y las cuotas ajustadas"
    ),
    "in_app.after_both": (
        "este es el reemplazo {f0} del sorteo: suba también el registro del reemplazo anterior (y "
        "el del sorteo original)"
    ),
    "in_app.after": (
        "este es el reemplazo {f0} del sorteo: suba también el registro del reemplazo anterior"
    ),
    "in_app.bands": (
        "escriba los tramos de edad como BAJO-ALTO o BAJO+ (como 18-29, 60+), o déjelos vacíos"
    ),
    "in_app.age_column": (
        "elija la columna del censo con los tramos de edad, o deje los tramos vacíos"
    ),
    "in_app.count_column": "elija la columna con el número de personas",
    "in_app.tolerance": "escriba una tolerancia de 0 o más cupos",
    "in_app.by": "marque una o más categorías para las que hacer cuotas",
    "in_app.by_count": (
        "marque como categorías las columnas de categorías, y los conteos como la columna con el "
        "número de personas"
    ),
    "in_app.relabel": (
        "escriba los valores como los escribe el censo (o como los nombran los tramos de edad)"
    ),
    "in_app.where": (
        'ninguna fila del censo cumple a la vez todo lo marcado en "La población de quién"'
    ),
    "in_app.invitations": "escriba un número de invitaciones de al menos 1",
    "in_app.invitations_most": "escriba a lo más {f0} invitaciones",
    "in_app.strata": "complete el dato {f0} de la persona, o quite {f1} de los estratos",
    "in_app.tables_apart": (
        "quite algunas de estas parejas a mantener separadas, o baje el máximo de integrantes "
        "por mesa para tener más mesas"
    ),
    "in_app.tables_split": "divida el grupo, o suba el máximo de integrantes por mesa",
    "in_app.tables_time": "aumente el tiempo máximo, o simplifique las reglas",
    "in_app.tables_rules": (
        "quite o cambie una de ellas, o cambie el máximo de integrantes por mesa"
    ),
    "in_app.table_size_small": "un máximo de {f0} integrantes por mesa es muy poco",
    "in_app.rounds_small": "{f0} ronda(s) es muy poco",
    "in_app.tables_ids": "use los identificadores del archivo del panel, o borre la fila",
    "in_app.bands_adult_age": (
        "escriba tramos contiguos desde la edad mínima contada, {f0}, terminando con un tramo "
        'abierto, como "18-29,30-44,45-59,60+" (o cambie "Edad mínima contada")'
    ),
    "in_app.balance_spread": (
        "márquela entre las columnas a equilibrar o entre las a repartir, no en ambas"
    ),
    "in_app.held_smaller": (
        "indique la distribución de las sesiones ya realizadas, o menos rondas realizadas"
    ),
    "in_app.earlier_ids": (
        "indique la distribución de las sesiones anteriores de este panel (los mismos ids que "
        "la columna de id)"
    ),
}
