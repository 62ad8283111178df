"""Mensajes en español de las herramientas de la aplicación web junto al sorteo: mesas, estado
en vivo, cuotas desde el censo, invitaciones y qué significa cada código de error (mismas claves
que `sortition.i18n.en_tools`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---- distribución en mesas -----------------------------------------------------------------
    "home.tables": "Distribuir una asamblea en mesas",
    "home.kind.tables": "mesas",
    "progress.title.tables": "Distribuyendo la asamblea en mesas",
    "result.tables": "Distribuir este panel en mesas, ronda tras ronda",
    "progress.back_tables": "Volver a la distribución en mesas",
    "tables.title": "Distribución en mesas",
    "tables.lead": (
        "Distribuya la asamblea en mesas pequeñas durante varias rondas: cada mesa tan diversa "
        "como el panel completo, caras nuevas en cada ronda y las reglas que usted fije (un "
        "intérprete junto a quien lo necesita, familiares en mesas distintas)."
    ),
    "tables.panel": "El panel",
    "tables.panel_drawn": "Se distribuirá el panel sorteado en este sorteo (su selected.csv).",
    "tables.panel_replaced": (
        "Se distribuirá el panel de este sorteo tal como lo completó el último reemplazo (su "
        "selected.csv)."
    ),
    "tables.panel_uploaded": "Se distribuirá el panel subido, {name}.",
    "tables.panel_none": (
        "Suba el panel a distribuir: un archivo CSV o Excel con una columna de identificadores y "
        "las columnas a equilibrar, como el selected.csv de un sorteo."
    ),
    "tables.panel_file": "Panel (CSV o Excel)",
    "tables.use_draw": (
        "Distribuir en cambio el panel de este sorteo (tal como salió, o como lo completaron los "
        "reemplazos)"
    ),
    "tables.settings": "Mesas, rondas y reglas",
    "tables.table_size": "Máximo de integrantes por mesa",
    "tables.rounds": "Rondas",
    "tables.balance": "Columnas a equilibrar",
    "tables.balance_help": (
        "Cada mesa debe tener cada valor de estas columnas en proporción al panel (entre el piso "
        "y el techo de su parte)."
    ),
    "tables.spread": "Otras columnas a repartir (opcional)",
    "tables.label": "Se muestran junto a cada identificador en las páginas imprimibles (opcional)",
    "tables.label_help": (
        "Como nombres y apellidos, para que quienes facilitan sepan quién es quién. Los archivos "
        "de la distribución tienen entonces datos personales: compártalos solo con quienes "
        "facilitan."
    ),
    "tables.spread_help": (
        "Se reparten entre las mesas después del equilibrio y de los encuentros nuevos."
    ),
    "tables.rules": "Reglas (opcional)",
    "tables.rules_help": (
        "Mantener juntos: un archivo CSV o Excel con columnas group,id; cada grupo comparte mesa "
        "en todas las rondas. Mantener separados: columnas id_a,id_b; esas dos personas nunca "
        "comparten mesa."
    ),
    "tables.together": "Mantener juntos",
    "tables.apart": "Mantener separados",
    "tables.clear_rule": "quitar este archivo",
    "tables.earlier": "Sesiones ya realizadas (opcional)",
    "tables.earlier_help": (
        "Si el panel cambió después de algunas sesiones (alguien se retiró, entró un reemplazo), "
        "distribuya las sesiones que faltan: indique la distribución usada hasta ahora (su "
        "tables.csv) y cuántas de sus rondas se realizaron. Quienes ya se encontraron cuentan "
        "como conocidos; se omite a quienes se retiraron; las rondas nuevas se numeran después "
        "de las realizadas."
    ),
    "tables.earlier_file": "Distribución usada hasta ahora (tables.csv)",
    "tables.continue": "continuar la distribución de abajo (la de esta ejecución)",
    "tables.held": "Rondas realizadas (por defecto: todas las de esa distribución)",
    "tables.held_note": (
        "Después de {held} ronda(s) ya realizada(s): estas son las rondas {first} a {last}, y "
        "los encuentros repetidos cuentan también las rondas realizadas."
    ),
    "tables.absent": "Ausentes en estas rondas (opcional): ids, separados por comas",
    "tables.absent_help": (
        "Quienes faltan a las rondas que se distribuyen ahora no reciben mesa, y las mesas se "
        "equilibran entre quienes asisten. Sus puestos en las rondas realizadas quedan en "
        "tables.csv: cuando vuelvan, continúe desde ese archivo y sus encuentros anteriores "
        "seguirán contando."
    ),
    "tables.absent_note": "Ausentes en las rondas {first} a {last}, sin mesa: {ids}.",
    "tables.personal": "No se ofrecen, porque contienen datos personales: {columns}.",
    "tables.time_limit": "Tiempo máximo en segundos (opcional)",
    "tables.time_limit_help": (
        "Sin límite la búsqueda termina sola y la misma semilla da siempre la misma distribución;"
        " con límite, la distribución depende también de la velocidad del computador."
    ),
    "tables.start": "Distribuir en mesas",
    "tables.result": "La distribución",
    "tables.summary": (
        "{members} integrantes en {tables} mesas de {sizes}, {rounds} ronda(s), en {seconds} s."
    ),
    "tables.quality.balance": "Equilibrio de {columns}",
    "tables.quality.balanced": "todas las mesas entre el piso y el techo",
    "tables.quality.outside": (
        "{outside} integrante(s) fuera del piso o el techo, sumando las mesas"
    ),
    "tables.quality.repeats": (
        "Encuentros repetidos (una pareja que se encuentra tres veces cuenta dos)"
    ),
    "tables.quality.bound": "cota inferior {bound}",
    "tables.quality.fewer": (
        "Cada columna equilibrada mantiene cada mesa cerca de la composición del panel, lo que "
        "deja pocas maneras de sentar juntas a personas que aún no se conocen. Para que menos "
        "parejas se repitan, equilibre menos columnas (reparta las demás) o distribuya menos "
        "rondas."
    ),
    "tables.quality.optimal": "óptimo",
    "tables.quality.which": (
        "Quiénes se vuelven a encontrar, y en qué rondas: repeats.csv; en las páginas de cada "
        "ronda, la ficha de cada mesa nombra a quienes ya compartieron mesa."
    ),
    "tables.quality.rules": "Reglas: {together} grupo(s) juntos, {apart} pareja(s) separadas",
    "tables.quality.greedy": (
        "Una distribución voraz (cada integrante a la mesa menos parecida) dejaría {outside} "
        "fuera del piso o el techo y {repeats} parejas repetidas."
    ),
    "tables.not_reproducible": (
        "El tiempo máximo detuvo la búsqueda: esta distribución depende de la velocidad del "
        "computador además de la semilla."
    ),
    "tables.rounds_pages": "Una página imprimible por ronda, para quienes facilitan",
    "tables.round": "Ronda {round}",
    "tables.private": (
        "Los archivos de la distribución nombran a los integrantes por su identificador: "
        "compártalos con quienes facilitan, no públicamente."
    ),
    "tables.private_labels": (
        "Los archivos de la distribución nombran a los integrantes por su identificador y por "
        "{columns}: datos personales, para compartir solo con quienes facilitan, nunca "
        "públicamente."
    ),
    # ---- estado en vivo de un cálculo largo ----------------------------------------------------
    "live.stage": "LEXIMIN, etapa {stage}",
    "live.realize": "LEXIMIN: realizando con paneles reales el leximin de la relajación",
    "live.done": "grupos fijados {done}",
    "live.level": "probabilidad mínima {level}",
    "live.share": "parte realizada {level}",
    "live.bound": "cota demostrada {bound} (brecha {gap})",
    "live.seating": (
        "Búsqueda de la distribución en mesas, paso {step}: lo mejor hasta ahora, {balance} fuera "
        "de mínimo/máximo, {repeats} parejas que se repiten (cota inferior {bound})"
    ),
    # ---- tabla de cuotas desde el censo -------------------------------------------------------
    "census.link": "¿Aún sin tabla de cuotas? Hágala desde el censo",
    "census.title": "Tabla de cuotas desde el censo",
    "census.lead": (
        "Reparte los cupos del panel entre los valores de cada categoría en proporción a la "
        "población del censo (mayor resto), para su comuna o cualquier parte del censo; mínimo "
        "y máximo son los cupos menos y más la tolerancia. Revise la tabla y luego úsela como "
        "la tabla de cuotas de este sorteo."
    ),
    "census.back": "Volver al sorteo",
    "census.file": "El censo",
    "census.bundled": (
        "Se usa el Censo 2017 de las 52 comunas de la Región Metropolitana de Santiago (INE), "
        "por comuna, provincia, sexo y tramo de edad de 5 años, incluido en el programa."
    ),
    "census.uploaded": "Se usa el censo subido {name}.",
    "census.own_file": "O suba su propio censo (CSV o Excel)",
    "census.use_bundled": "Usar en su lugar el Censo 2017 incluido",
    "census.format": (
        "Formato largo: una fila por celda del censo (por ejemplo comuna, sexo y tramo de edad) "
        "y una columna con el número de personas en ella."
    ),
    "census.choices": "Qué contar y cómo",
    "census.count_column": "Columna con el número de personas",
    "census.rows": "La población de quién",
    "census.rows_help": (
        "Marque su comuna (o comunas) para contar solo a su población; sin nada marcado cuenta "
        "todo el censo."
    ),
    "census.only": "Solo algunos valores de {column} ({count})",
    "census.categories": "Categorías para las que hacer cuotas",
    "census.categories_help": (
        "Marque cada categoría de su lista de inscritos. Escriba su nombre y sus valores como "
        "los escribe su lista (por ejemplo sex como gender, female como Mujer); los valores "
        "escritos igual se juntan. Vuelva a hacer la tabla para ver los campos de una categoría "
        "recién marcada."
    ),
    "census.values": "{count} valores",
    "census.pool_name": "Nombre en la lista de inscritos",
    "census.pool_values": "Valores como los escribe la lista de inscritos",
    "census.ages": "Tramos de edad",
    "census.ages_help": (
        "Los tramos de 5 años del censo se reagrupan en estos tramos adultos (edades repartidas "
        "por igual dentro de un tramo); quienes tienen menos de la edad mínima quedan fuera de "
        "todas las categorías. Deje los tramos vacíos para contar todas las edades como el censo."
    ),
    "census.age_column": "Columna del censo con los tramos de edad",
    "census.bands": "Tramos (separados por comas, el último abierto, como 60+)",
    "census.adult_age": "Edad mínima contada",
    "census.tolerance": "Tolerancia (cupos a cada lado)",
    "census.tolerance_help": (
        "Cada cuota es el número de cupos repartidos menos y más este número; 0 fija la "
        "composición exacta, mucho más difícil de cumplir."
    ),
    "census.make": "Hacer la tabla de cuotas",
    "census.made": "La tabla de cuotas",
    "census.summary": "Cupos de un panel de {size}, tolerancia {tolerance}.",
    "census.adults": "Edades de {age} años y más.",
    "census.partial": "El tramo {band} del censo cuenta con {share} de sus personas.",
    "census.population": "población",
    "census.share": "proporción",
    "census.exact": "exacto",
    "census.seats": "cupos",
    "census.replaces": "Reemplaza la tabla de cuotas actual ({name}).",
    "census.use": "Usarla como tabla de cuotas de este sorteo",
    # ---- qué significa un código de error, sobre el mensaje propio del programa --------------
    "explain.E101": (
        "No se pudo leer el archivo como tabla. Guárdelo como CSV (UTF-8, con coma o punto y "
        "coma) o como libro de Excel .xlsx."
    ),
    "explain.E102": (
        "No se reconocieron las columnas de la tabla de cuotas: debe tener las columnas "
        "feature,value,min,max (o category,name,min,max)."
    ),
    "explain.E103": (
        "Falta en el archivo una columna que el programa necesita. Revise los nombres de la "
        "primera fila (mayúsculas y espacios no importan)."
    ),
    "explain.E104": (
        "Una fila no tiene identificador: cada persona necesita uno, único, en la columna de "
        "identificador."
    ),
    "explain.E105": "Dos filas comparten un identificador: cada persona necesita el suyo.",
    "explain.E106": (
        "Un valor de un archivo no coincide con los valores del otro, por ejemplo una "
        "categoría escrita de otra forma en la lista de inscritos y en la tabla de cuotas. "
        "Escríbala igual en ambos."
    ),
    "explain.E107": "Falta un número o no es un número entero mayor o igual a 0.",
    "explain.E108": "El mínimo de una cuota es mayor que su máximo.",
    "explain.E109": "El archivo no tiene personas.",
    "explain.E110": "El mismo valor de una categoría aparece dos veces en la tabla de cuotas.",
    "explain.E111": (
        "Un registro guardado (registro del sorteo o archivo de lotería) está dañado o es de "
        "otro tipo."
    ),
    "explain.E112": (
        "Un archivo no es el registrado en el sorteo: su huella (SHA-256) es distinta, así "
        "que fue modificado después."
    ),
    "explain.E201": (
        "El tamaño del panel debe ser un número entero, al menos 1 y como máximo el número de "
        "personas."
    ),
    "explain.E203": (
        "Escribir los resultados reemplazaría un archivo de entrada o resultados anteriores."
    ),
    "explain.E301": (
        "Ningún panel puede cumplir todas las cuotas a la vez (con una persona por hogar, si se "
        "pidió). La comprobación de cuotas (paso 3) propone la corrección más pequeña."
    ),
    "explain.E302": (
        "Las reglas de distribución en mesas no pueden cumplirse todas juntas; el mensaje "
        "nombra las reglas en conflicto."
    ),
    "explain.E402": "El límite de tiempo terminó el cálculo antes de que acabara.",
    "error.detail": "Detalle (en inglés)",
    # ---- invitaciones sorteadas de un registro -------------------------------------------------
    "home.invite": "Sortear invitaciones de un padrón",
    "home.kind.invite": "invitaciones",
    "progress.title.invite": "Sorteando las invitaciones",
    "progress.back_invite": "Volver a las invitaciones",
    "invite.title": "Invitaciones desde un padrón",
    "invite.lead": (
        "El primer sorteo de una asamblea ciudadana: elegir las direcciones o personas que "
        "reciben una carta de invitación, todas con la misma probabilidad dentro de su estrato "
        "(comuna, sector...), con las invitaciones repartidas en proporción al tamaño de cada "
        "estrato."
    ),
    "invite.register": "El padrón",
    "invite.register_current": "Padrón: {name}.",
    "invite.register_file": "Padrón de direcciones o residentes (CSV)",
    "invite.register_help": (
        "Una fila por dirección o persona, con una columna de identificadores únicos; las demás "
        "columnas (dirección, comuna...) se copian a la lista de envío."
    ),
    "invite.settings": "Estratos, invitaciones y semilla",
    "invite.id_column": "Columna con el identificador único de cada fila",
    "invite.pseudonyms": (
        "La columna de identificador tiene datos personales (un RUT, un correo): publicar "
        "seudónimos en su lugar"
    ),
    "invite.strata": "Estratos (opcional)",
    "invite.strata_help": (
        "Cada combinación de valores de estas columnas recibe su parte de las invitaciones "
        "(mayor resto) y una muestra al azar de ese tamaño; sin ninguna, una sola muestra de "
        "todo el padrón."
    ),
    "invite.count": "Número de invitaciones",
    "invite.seed_help": (
        "Cualquier número o texto; el mismo padrón, opciones y semilla dan las mismas "
        "invitaciones. Sin ella, se genera una semilla y se muestra."
    ),
    "invite.start": "Sortear las invitaciones",
    "invite.result": "Las invitaciones",
    "invite.summary": (
        "{invitations} invitaciones sorteadas entre {population} filas del padrón ({share})."
    ),
    "invite.stratified": "Estratificado por {columns}: {strata} estratos.",
    "invite.unstratified": "Una sola muestra de todo el padrón.",
    "invite.seed_generated": "generada; anótela para repetir el sorteo",
    "invite.residents": "filas",
    "invite.invitations": "invitaciones",
    "invite.probability": "probabilidad",
    "invite.files": "Archivos",
    "invite.private": (
        "datos personales (todas las columnas de las filas invitadas, para enviar las cartas): "
        "manténgalo privado, nunca lo publique"
    ),
    "invite.public": (
        "el registro publicable: identificadores, estratos y cantidades, la semilla y las "
        "reglas; cualquiera puede comprobarlo contra el padrón con sortition verify "
        "invitations-log.json --register ARCHIVO"
    ),
    "invite.pseudonymized": "(identificadores como seudónimos)",
    "invite.overwrite": (
        "Reemplazar las invitaciones sorteadas antes en este sorteo (se pierde su lista de envío)"
    ),
    "tables.overwrite": "Reemplazar la distribución en mesas hecha antes en este sorteo",
}
