"""Mensajes en español de la aplicación web (mismas claves que `sortition.i18n.en_web`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---- aplicación web --------------------------------------------------------------------
    "app.title": "Sorteos de paneles ciudadanos",
    "app.footer": (
        "sortition {version} · funciona solo en este computador: sus archivos quedan en la "
        "carpeta de trabajo y no se envía nada a ninguna parte."
    ),
    "nav.home": "Inicio",
    "nav.verify": "Verificar un sorteo",
    "home.title": "Sortear un panel ciudadano",
    "home.lead": (
        "Suba la lista de voluntarios y la tabla de cuotas, compruebe que las cuotas se pueden "
        "cumplir y sortee un panel que dé a todos una probabilidad tan igual como lo permitan "
        "las cuotas."
    ),
    "home.private": (
        "Todo ocurre en este computador: los archivos quedan en la carpeta de trabajo y puede "
        "borrarlos cuando quiera. El informe y el registro se pueden publicar: no contienen "
        "datos personales."
    ),
    "home.new_draw": "Nuevo sorteo",
    "home.verify": "Verificar un sorteo publicado",
    "home.deleted": "El sorteo y todos sus archivos fueron borrados.",
    "home.runs": "Sorteos guardados en este computador",
    "home.run": "Sorteo",
    "home.kind": "Tipo",
    "home.files": "Archivos",
    "home.state": "Estado",
    "home.kind.draw": "sorteo",
    "home.kind.verify": "verificación",
    "home.done": "con resultados",
    "home.open": "en curso",
    "home.no_runs": "Aún no hay sorteos.",
    "home.terminal": "¿Prefiere la terminal?",
    "home.terminal_text": (
        "Cada paso es también un comando del programa sortition, con los mismos resultados, "
        "por ejemplo:"
    ),
    "run.title": "Sorteo",
    "run.job_running": "Hay un cálculo en curso para este sorteo.",
    "run.see_progress": "Ver su avance",
    "run.has_output": "Este sorteo tiene resultados.",
    "run.see_result": "Ver los resultados",
    "run.has_lottery": "Se calculó una lotería para este sorteo.",
    "run.see_lottery": "Ver la lotería y sortearla",
    "run.delete_title": "Borrar los archivos de este sorteo",
    "run.delete_help": (
        "Elimina de la carpeta de trabajo los archivos subidos y todos los resultados de este "
        "sorteo. Descargue antes lo que necesite."
    ),
    "run.delete": "Borrar",
    "step.files": "Archivos",
    "step.columns": "Columnas",
    "step.check": "Comprobar las cuotas",
    "step.draw": "Sortear",
    "files.intro": (
        "La lista de voluntarios (una fila por persona, con una columna de identificador y "
        "una columna por característica) y la tabla de cuotas. Hasta {size} MB por envío."
    ),
    "files.pool": "Lista de voluntarios",
    "files.quotas": "Tabla de cuotas",
    "files.population": "Población por categoría (opcional, para corregir la autoselección)",
    "files.history": (
        "Selecciones anteriores (opcional: id, proceso, fecha, para dejar fuera a quienes "
        "participaron hace poco)"
    ),
    "files.current": "actual",
    "files.upload": "Subir",
    "files.formats": (
        "CSV (con coma o punto y coma, UTF-8) o Excel .xlsx. Tablas de cuotas: columnas "
        "feature,value,min,max (o category,name,min,max)."
    ),
    "columns.id": "Columna con el identificador único de cada voluntario",
    "columns.households": "Columnas de hogar",
    "columns.households_help": (
        "Los voluntarios iguales en todas las columnas marcadas (por ejemplo la dirección) "
        "comparten hogar; se selecciona como máximo a uno por hogar. No marque ninguna para "
        "permitir varios."
    ),
    "columns.panel_size": "Tamaño del panel (número de personas)",
    "columns.panel_size_missing": "Indique el tamaño del panel: un número entero mayor que cero.",
    "columns.read": "Leer los archivos",
    "categories.title": "Lo que se leyó",
    "categories.summary": (
        "{people} voluntarios, un panel de {k}, {features} características con cuotas."
    ),
    "categories.households": "{households} hogares.",
    "categories.in_pool": "inscritos",
    "categories.min": "mín.",
    "categories.max": "máx.",
    "categories.duplicates": (
        "{count} grupo(s) de voluntarios comparten datos de contacto ({columns}): cada persona "
        "tendría dos oportunidades. Corríjalo en la lista o permítalo en las opciones del "
        "sorteo."
    ),
    "categories.duplicate_rows": "filas {rows} (identificadores {ids})",
    "categories.no_duplicates": "No hay inscripciones duplicadas (se compararon {columns}).",
    "check.intro": (
        "Comprueba que al menos un panel cumpla todas las cuotas y la regla de hogares; si "
        "ninguno lo hace, propone el cambio más pequeño de las cuotas."
    ),
    "check.run": "Comprobar las cuotas",
    "check.feasible": (
        "Las cuotas se pueden cumplir: hay un panel de este tamaño que cumple todas las cuotas."
    ),
    "check.infeasible": "Ningún panel cumple todas las cuotas.",
    "check.relaxation": "Cambio más pequeño que hace posible un panel: {cost} unidad(es).",
    "check.old": "Antes",
    "check.new": "Propuesta",
    "check.use_corrected": "Usar las cuotas propuestas",
    "check.download_corrected": "Descargar la tabla de cuotas propuesta",
    "draw.now": "Sortear ahora",
    "draw.now_help": (
        "Sortea de inmediato a partir de una semilla; cualquiera puede repetir el sorteo con "
        "la misma semilla."
    ),
    "draw.algorithm": "Algoritmo",
    "algorithm.leximin": "el más justo (recomendado)",
    "algorithm.maximin": "eleva la probabilidad más baja; más rápido",
    "algorithm.nash": "media geométrica de las probabilidades",
    "algorithm.goldilocks": "probabilidades ni muy altas ni muy bajas",
    "algorithm.diversimax": "intersecciones más equilibradas, probabilidades casi las más justas",
    "algorithm.legacy": "el antiguo sorteo voraz (para comparar)",
    "algorithm.fair-maxentropy": "las probabilidades de LEXIMIN, el panel menos predecible",
    "algorithm.maxentropy": "todo panel válido igualmente probable",
    "draw.seed": "Semilla (opcional)",
    "draw.seed_placeholder": "p. ej. Renca 2026-11-23; vacía: se genera una",
    "draw.reserves": "Reservas a ordenar",
    "draw.overwrite": "Reemplazar los resultados anteriores de este sorteo",
    "draw.start": "Sortear el panel",
    "draw.advanced": "Opciones avanzadas",
    "draw.gap": "Brecha de optimalidad (p. ej. 0,01; vacía: exacto)",
    "draw.fairness_slack": "Holgura de equidad para DIVERSIMAX (de 0 a menos de 1; vacía: 0,05)",
    "draw.time_limit": "Tiempo máximo en segundos (vacío: sin límite)",
    "draw.correct_self_selection": (
        "Corregir la autoselección con {file}: probabilidades inversamente proporcionales a "
        "cuánto se inscriben los residentes como cada voluntario (LEXIMIN o MAXIMIN)"
    ),
    "draw.history": "Selecciones anteriores ({file})",
    "draw.history_use": "Tener en cuenta las selecciones anteriores",
    "draw.cooldown": "Meses que una persona seleccionada queda fuera",
    "draw.as_of": "Contados hacia atrás desde (la fecha de este sorteo)",
    "draw.history_mode": "Quienes participaron hace poco",
    "draw.history_exclude": "quedan fuera de este sorteo",
    "draw.history_weight": "siguen dentro, con menos probabilidad (LEXIMIN o MAXIMIN)",
    "draw.history_factor": "Su probabilidad relativa a la de los demás (de 0 a 1; vacía: 0,5)",
    "draw.allow_duplicates": "Sortear aunque algunos voluntarios se inscribieron dos veces",
    "lottery.title": "Lotería pública",
    "lottery.help": (
        "Primero se compromete: publique la lotería antes de que existan los números públicos "
        "al azar (por ejemplo el resultado de una lotería nacional); luego sortee con esos "
        "números. Nadie puede dirigir el sorteo."
    ),
    "lottery.tickets": "Número de boletos",
    "lottery.sources": "Fuentes públicas que se usarán",
    "lottery.sources_placeholder": "p. ej. los 6 números del sorteo 5210 del Loto",
    "lottery.date": "Fecha del sorteo",
    "lottery.overwrite": "Reemplazar la lotería anterior de este sorteo",
    "lottery.start": "Calcular la lotería",
    "lottery.committed": "Lotería lista para publicar",
    "lottery.publish": (
        "Publique el archivo lottery.json, su huella y la declaración siguiente antes de la "
        "fecha del sorteo, por ejemplo en el portal de transparencia."
    ),
    "lottery.fingerprint": "Huella (SHA-256)",
    "lottery.statement": (
        "El panel de {k} personas se sorteará entre {n} voluntarios mediante la lotería de "
        "boletos publicada como lottery.json, con huella SHA-256 {fingerprint}. Tiene "
        "{tickets} boletos igualmente probables, cada uno un panel que cumple todas las cuotas "
        "publicadas, calculados con el algoritmo {algorithm}. El boleto ganador se elegirá con "
        "el procedimiento del RFC 3797 a partir de las siguientes fuentes públicas: {sources}, "
        "el {date}. Cualquiera puede recalcular el sorteo con 'sortition verify'."
    ),
    "lottery.sources_missing": "[indique las fuentes públicas]",
    "lottery.date_missing": "[fecha del sorteo]",
    "lottery.target": "Probabilidades objetivo: mínima {min}, máxima {max}.",
    "lottery.rounding": (
        "Mayor diferencia entre la parte de boletos de una persona y su objetivo: {deviation}."
    ),
    "lottery.download": "Descargar lottery.json",
    "reveal.title": "Sortear con los números públicos",
    "reveal.help": (
        "Cuando se conozcan los números anunciados, escriba cada fuente en su propia línea, en "
        "el orden anunciado."
    ),
    "reveal.sources": "Números públicos (una fuente por línea)",
    "reveal.reserve_tickets": "Boletos de reserva a sortear también",
    "reveal.start": "Sortear el boleto ganador",
    "reveal.no_sources": "Escriba primero los números públicos.",
    "progress.title": "Avance",
    "progress.title.select": "Sorteando el panel",
    "progress.title.lottery": "Calculando la lotería",
    "progress.title.replace": "Sorteando reemplazos",
    "progress.state.running": "en curso",
    "progress.state.done": "terminado",
    "progress.state.failed": "detenido por un error",
    "progress.state.cancelled": "cancelado",
    "progress.elapsed": "transcurrido",
    "progress.seconds": "s",
    "progress.cancel": "Cancelar",
    "progress.cancelled": "El cálculo fue cancelado; no se escribió ningún resultado nuevo.",
    "progress.see_result": "Ver el resultado",
    "progress.back": "Volver al sorteo",
    "result.title": "El panel sorteado",
    "result.seed": "Semilla",
    "result.self_selection": (
        "Autoselección corregida en {categories}: dispersión de las probabilidades de punta a "
        "punta entre residentes (coeficiente de variación) {this}, frente a {equal} con "
        "probabilidades iguales"
    ),
    "result.history_exclude": (
        "Selecciones anteriores ({file}): {count} inscrito(s) seleccionado(s) en los {months} "
        "meses hasta el {date}, fuera del sorteo"
    ),
    "result.history_weight": (
        "Selecciones anteriores ({file}): {count} inscrito(s) seleccionado(s) en los {months} "
        "meses hasta el {date}, dentro con {factor} de la probabilidad"
    ),
    "result.zip": "Descargar todos los archivos (zip)",
    "result.report": "Abrir el informe público",
    "result.files": "Archivos",
    "result.private": "{private} contienen datos personales: manténgalos privados.",
    "result.workbooks": (
        "Cada archivo .xlsx tiene las mismas celdas que el .csv de igual nombre: abra ese en "
        "Excel, donde los acentos, las columnas y los teléfonos se ven bien."
    ),
    "result.public": "{public} se pueden publicar.",
    "result.reserves_coverage": (
        "Pueden reparar {single} de {singles} renuncias simples y {double} de {doubles} "
        "renuncias dobles."
    ),
    "result.verify": "Verificar este sorteo",
    "result.verify_button": "Verificar",
    "result.back": "Volver a los pasos del sorteo",
    "replace.title": "Reemplazos tras renuncias",
    "replace.help": (
        "Escriba los identificadores de quienes dejaron el panel; los reemplazos se sortean "
        "entre quienes no salieron sorteados, de modo que se vuelvan a cumplir todas las cuotas. "
        "Cada nueva lista de renuncias es un nuevo reemplazo: parte del panel tal como lo dejó el "
        "anterior, y nadie sorteado antes vuelve a salir."
    ),
    "replace.dropouts": "Identificadores de las renuncias (separados por comas o líneas)",
    "replace.sources": (
        "O números públicos en vez de una semilla (una fuente por línea), sorteados en público: "
        "su clave RFC 3797 es la semilla"
    ),
    "replace.start": "Sortear reemplazos",
    "replace.overwrite": (
        "Sortear de nuevo el reemplazo n.º {wave} en vez de hacer uno nuevo (para las renuncias "
        "escritas aquí, desde el panel anterior a él; puede que ya se haya avisado a sus "
        "reemplazantes)"
    ),
    "replace.wave": "Reemplazo n.º {wave}",
    "replace.left": "Renuncias:",
    "replace.now": "el panel actual",
    "replace.joined": "Reemplazos:",
    "verify.title": "Verificar un sorteo",
    "verify.intro": (
        "Suba el registro publicado del sorteo y, para una lotería pública, el archivo de la "
        "lotería. Si sube también la lista de voluntarios y la tabla de cuotas, se comprueba "
        "además que son las utilizadas."
    ),
    "verify.log": "Registro del sorteo (selection-log.json, o invitations-log.json)",
    "verify.lottery": "Archivo de la lotería (lottery.json, para una lotería pública)",
    "verify.pool": "Lista de voluntarios (opcional)",
    "verify.quotas": "Tabla de cuotas (opcional)",
    "verify.register": (
        "El padrón (solo para un registro de invitaciones, para comprobar su sorteo)"
    ),
    "verify.original": (
        "Para el registro de un reemplazo: el registro del sorteo original (para comprobar "
        "quiénes podían reemplazar)"
    ),
    "verify.after": "Para un segundo reemplazo o posterior: el registro del reemplazo anterior",
    "verify.deep": "Comprobar también la afirmación de justicia (más lento)",
    "verify.run": "Verificar",
    "verify.outcome": "Resultado",
    "verify.passed": "VERIFICADO: todas las comprobaciones se cumplen.",
    "verify.failed": "NO VERIFICADO: al menos una comprobación falló.",
    "verify.result": "Resultado",
    "verify.check": "Comprobación",
    "verify.detail": "Detalle",
    "verify.status.pass": "CUMPLE",
    "verify.status.fail": "FALLA",
    "verify.status.skip": "omitida",
    "check.fingerprint": "El registro no fue editado",
    "check.randomness": "Azar",
    "check.register file": "Archivo del padrón",
    "check.allocation": "Invitaciones por estrato",
    "check.invited ids": "Ids invitados",
    "check.log": "Registro",
    "check.log fingerprint": "El registro no fue editado",
    "check.published pool and rules": "Voluntarios y reglas publicados",
    "check.input files": "Archivos de entrada",
    "check.pool and rules readable": "Voluntarios y reglas legibles",
    "check.every panel meets the rules": "Cada panel cumple las reglas",
    "check.every ticket meets the rules": "Cada boleto cumple las reglas",
    "check.probabilities": "Probabilidades",
    "check.seed gives the panel": "La semilla da el panel",
    "check.selected panel": "Panel seleccionado",
    "check.quota counts": "Conteos de las cuotas",
    "check.completed panel": "Panel completado",
    "verify.failed_checks": "No se cumple:",
    "check.replacement origin": "Reemplazo sorteado entre quienes correspondía",
    "check.maximin certificate": "Certificado de justicia",
    "check.lottery": "Lotería",
    "check.lottery fingerprint": "La lotería no fue editada",
    "check.lottery and log agree": "La lotería y el registro coinciden",
    "check.key from sources": "Clave a partir de los números públicos",
    "check.ticket from key": "Boleto a partir de la clave",
    "check.ticket shares": "Partes de boletos",
    "check.optimal distribution": "Distribución óptima",
    "check.files not present": "Archivos ausentes",
    "check.files not in the log": "Archivos que el registro no lista",
    "check.files of the set": "Archivos del conjunto",
    "check.fairness floor": "Piso de justicia",
    "error.title": "Hay algo que corregir",
    "error.file": "Archivo",
    "error.row": "fila",
    "error.column": "columna",
    "error.hint": "Cómo corregirlo",
    "error.generic": "No se pudo atender la solicitud.",
    "error.not_found": (
        "Esa página no existe. Esta aplicación solo sirve sus propias páginas y los archivos "
        "de sus sorteos; se rechazan las rutas a otros archivos."
    ),
    "error.server": (
        "Algo falló de forma inesperada; no se escribió nada. La terminal donde se ejecuta "
        "'sortition serve' muestra los detalles."
    ),
    "error.run.malformed": (
        "Esta dirección no corresponde a un sorteo: el identificador de un sorteo tiene 32 "
        "letras y dígitos (0-9, a-f). Se rechazan las rutas a otros archivos."
    ),
    "error.run.missing": "No hay ningún sorteo con este identificador (quizás fue borrado).",
    "error.csrf": (
        "El formulario expiró o vino de otra página. Recargue la página y envíelo de nuevo."
    ),
    "error.no_file": "Este sorteo no tiene ese archivo.",
    "error.not_ready": "Suba ambos archivos y léalos (paso 2) antes de sortear.",
    "error.bad_number": "Un número o una opción del formulario no es válido.",
    "error.too_many_waves": (
        "Este sorteo ya tiene el máximo de reemplazos que puede guardar; empiece un sorteo nuevo "
        "desde el último panel completado."
    ),
    "error.busy": "Ya hay un cálculo en curso para este sorteo; espere o cancélelo.",
    "guard.host.title": "Dirección no permitida",
    "guard.host.body": (
        "Este servidor solo responde en la dirección 127.0.0.1 o localhost de este computador."
    ),
    "guard.token.title": "Se necesita el código de acceso",
    "guard.token.body": (
        "Este servidor es accesible desde la red, así que cada visita necesita su código de "
        "acceso. Abra la dirección con ?token=... que 'sortition serve' mostró al iniciar."
    ),
    "guard.csrf.title": "Solicitud de otro sitio rechazada",
    "guard.csrf.body": (
        "Los formularios de esta aplicación solo se pueden enviar desde sus propias páginas."
    ),
    "guard.size.title": "Archivo demasiado grande",
    "guard.size.body": "El envío supera el límite de {size} MB y fue rechazado.",
    "upload.bad_type": "{file}: aquí no se acepta este tipo de archivo; use {types}.",
    "upload.empty": "{file} está vacío.",
    "upload.not_xlsx": "{file} tiene extensión .xlsx pero no es un libro de Excel.",
    "upload.not_json": "{file} no es un archivo JSON escrito por sortition.",
    "upload.not_csv": "{file} no parece un archivo de texto CSV (contiene datos binarios).",
    "upload.no_log": "Suba el registro del sorteo (selection-log.json) para verificarlo.",
}
