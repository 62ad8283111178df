"""Mensajes en español del informe público report.html (mismas claves que
`sortition.i18n.en`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # ---- report.html ----------------------------------------------------------------------
    "report.title": "Sorteo del panel ciudadano: informe público",
    "report.lead": "Se sorteó un panel de {k} personas entre {n} voluntarios.",
    "report.lead.replacement": (
        "Se sortearon {k} reemplazo(s) entre {n} voluntarios elegibles, para completar un "
        "panel tras renuncias."
    ),
    "report.intro": (
        "Esta página se construye a partir del registro público del sorteo. Solo muestra "
        "identificadores seudónimos y las características de las cuotas: ningún nombre, "
        "correo, teléfono ni dirección."
    ),
    "report.footer": (
        "Generado por sortition {version}. Esta página no necesita conexión a internet ni "
        "carga nada de otro sitio."
    ),
    "report.how.title": "Cómo se sorteó el panel",
    "report.how.algorithm": "Algoritmo: {algorithm}.",
    "report.algorithm.leximin": (
        "Eleva la probabilidad de selección más baja tanto como lo permiten las cuotas, luego "
        "la segunda más baja, y así sucesivamente (Flanigan et al., Nature 2021)."
    ),
    "report.algorithm.maximin": (
        "Eleva la probabilidad de selección más baja tanto como lo permiten las cuotas."
    ),
    "report.algorithm.nash": "Maximiza la media geométrica de las probabilidades de selección.",
    "report.algorithm.goldilocks": (
        "Mantiene cada probabilidad de selección ni demasiado alta ni demasiado baja "
        "(Baharav y Flanigan)."
    ),
    "report.algorithm.diversimax": (
        "Entre los sorteos que dan a cada persona al menos (1 - holgura) veces la mayor "
        "probabilidad mínima posible (MAXIMIN), elige aquel cuyo panel refleja mejor el grupo "
        "inscrito en cada par de características, en promedio."
    ),
    "report.algorithm.legacy": (
        "El sorteo voraz que llena las cuotas; sus probabilidades se estiman con sorteos repetidos."
    ),
    "report.algorithm.fair-maxentropy": (
        "Da a cada persona las mismas probabilidades que LEXIMIN y, entre todas las loterías con "
        "esas probabilidades, hace el panel sorteado lo menos predecible posible (máxima "
        "entropía)."
    ),
    "report.algorithm.maxentropy": (
        "Todo panel que cumple las cuotas es igualmente probable; en grupos grandes las "
        "probabilidades se estiman por muestreo."
    ),
    "report.how.solver": "Optimizador: {solver} (código abierto).",
    "report.how.gap": (
        "El cálculo se detuvo al estar demostradamente a menos de una brecha relativa de {gap}."
    ),
    "report.how.stopped": (
        "El tiempo máximo ({seconds} s) detuvo el cálculo antes de terminar: la probabilidad "
        "más baja está demostradamente a una brecha relativa de {gap} de la mejor posible; las "
        "demás probabilidades no se optimizaron hasta el final."
    ),
    "report.how.stopped.objective": (
        "El tiempo máximo ({seconds} s) detuvo el cálculo antes de terminar: su objetivo está "
        "demostradamente a una brecha relativa de {gap} del mejor posible."
    ),
    "report.how.lottery": (
        "Antes de que existieran los números al azar se publicó una lotería de {tickets} "
        "boletos igualmente probables (huella {fingerprint}); cada boleto es un panel que "
        "cumple todas las cuotas."
    ),
    "report.how.announced": "Fuentes públicas anunciadas: {sources}.",
    "report.how.sources": "Números públicos al azar utilizados: {sources}.",
    "report.how.key": "Clave calculada a partir de ellos (RFC 3797): {key}",
    "report.how.ticket": "Boleto ganador: {ticket} de {tickets}.",
    "report.how.seed.given": (
        "Números al azar a partir de la semilla elegida por la organización: {seed}"
    ),
    "report.how.seed.generated": (
        "Números al azar a partir de una semilla generada por el computador: {seed}"
    ),
    "report.how.not_committed": (
        "La semilla no se comprometió de antemano: cualquiera puede repetir el sorteo con "
        "ella, pero un sorteo a partir de una lotería publicada con anticipación da una "
        "garantía más fuerte."
    ),
    "report.how.excluded": (
        "{count} voluntario(s) quedaron fuera por la regla de rotación o por paneles anteriores."
    ),
    "report.how.households": "Se podía seleccionar como máximo a una persona por hogar.",
    "report.quotas.title": "Cuotas y composición del panel",
    "report.quotas.intro": (
        "Cada cuota fija el mínimo y el máximo de personas con una característica que puede "
        "tener el panel; las últimas columnas muestran cuántas tiene."
    ),
    "report.quotas.feature": "Característica",
    "report.quotas.value": "Valor",
    "report.quotas.min": "Mínimo",
    "report.quotas.max": "Máximo",
    "report.quotas.panel": "Panel",
    "report.quotas.met": "cumplida",
    "report.quotas.not_met": "no cumplida",
    "report.fair.title": "Cuán justo fue el sorteo",
    "report.fair.intro": (
        "Cada voluntario tuvo una probabilidad de ser seleccionado. Sin cuotas, todos habrían "
        "tenido la misma, k/n."
    ),
    "report.fair.min": "probabilidad más baja",
    "report.fair.max": "probabilidad más alta",
    "report.fair.share": "parte igual k/n",
    "report.fair.gini": "coeficiente de Gini (0 = todas iguales)",
    "report.fair.geomean": "media geométrica",
    "report.fair.below": "de los voluntarios bajo k/n",
    "report.fair.explain": (
        "Las cuotas hacen que algunas probabilidades sean mayores que otras: las personas de "
        "grupos con pocos voluntarios necesitan más probabilidad para que el panel refleje a "
        "la población."
    ),
    "report.selfsel": (
        "Los voluntarios se autoseleccionan: algunos tipos de residentes se inscriben más que "
        "otros. Este sorteo lo corrigió en {categories}, con la tabla de población {table}: la "
        "probabilidad de cada voluntario se fijó en proporción inversa a cuánto se inscriben los "
        "residentes como él. Entre los residentes, la probabilidad de terminar en el panel "
        "(inscribirse y luego salir sorteado) varía con un coeficiente de variación de {this} con "
        "este sorteo, frente a {equal} si todos los voluntarios hubieran tenido la misma "
        "probabilidad (de la más alta a la más baja: {this_ratio} frente a {equal_ratio})."
    ),
    "report.prob.title": "Probabilidad de selección de cada voluntario",
    "report.prob.intro": (
        "El gráfico ordena la probabilidad de selección de cada voluntario de menor a mayor; "
        "la tabla las lista por identificador seudónimo."
    ),
    "report.prob.plot_caption": (
        "Azul: probabilidades ordenadas de menor a mayor. Rojo discontinuo: la parte igual k/n."
    ),
    "report.prob.table": "Tabla de las {n} probabilidades",
    "report.prob.id": "Identificador",
    "report.prob.probability": "Probabilidad",
    "report.prob.selected": "Seleccionado",
    "report.plot.title": "Probabilidades de selección, ordenadas",
    "report.plot.fair": "parte igual k/n = {share}",
    "report.plot.x": "voluntarios, de menor a mayor probabilidad ({n})",
    "report.plot.y": "probabilidad",
    "report.panel.title": "El panel sorteado",
    "report.panel.intro": "Identificadores seudónimos de las personas seleccionadas:",
    "report.panel.reserves": "Reservas, en orden:",
    "report.panel.replacement": (
        "Estas personas completan el panel tras las renuncias; el sorteo original tiene su "
        "propio informe."
    ),
    "report.panel.earlier": (
        "Este es el reemplazo n.º {wave} del sorteo: parte del panel tal como lo dejaron los "
        "reemplazos anteriores (huellas de sus registros: {prints}); nadie sorteado antes podía "
        "volver a salir."
    ),
    "report.hash.title": "Archivos y huellas digitales",
    "report.hash.intro": (
        "La huella SHA-256 de un archivo cambia si cambia un solo carácter. Compárelas con "
        "los archivos que descargue."
    ),
    "report.hash.file": "Archivo",
    "report.hash.pool": "Lista de voluntarios {file} (la organización la mantiene privada)",
    "report.hash.quotas": "Tabla de cuotas {file}",
    "report.hash.fingerprint": "Huella del contenido del registro del sorteo",
    "report.verify.title": "Cómo verificar el sorteo, paso a paso",
    "report.verify.get": "Descargue el archivo publicado selection-log.json.",
    "report.verify.get_committed": (
        "Descargue los archivos publicados selection-log.json y lottery.json (la lotería "
        "anunciada antes del sorteo)."
    ),
    "report.verify.hashes": (
        "Calcule sus huellas SHA-256 (por ejemplo con sha256sum) y compárelas con la tabla "
        "de arriba."
    ),
    "report.verify.install": "Instale el software libre sortition (Python 3.11 o posterior):",
    "report.verify.run": "Ejecute:",
    "report.verify.read": (
        "Cada comprobación debe decir PASS: el panel cumple todas las cuotas, las "
        "probabilidades son las declaradas, los números al azar llevan a este panel y ninguna "
        "otra lotería podría haber dado a todos una probabilidad mínima más alta."
    ),
    "report.verify.inputs": (
        "Quien tenga los archivos originales (por ejemplo un organismo fiscalizador) puede "
        "comprobar además que son los utilizados, añadiendo"
    ),
    "report.verify.by_hand": (
        "El documento docs/auditoria.md del software explica cada comprobación e incluye un "
        "programa que solo necesita la biblioteca estándar de Python."
    ),
    # ---- seating pages (sortition tables) ---------------------------------------------------
    "seating.round_title": "Ronda {round} de {rounds}: distribución en mesas",
    "seating.table": "Mesa {table}",
    "seating.meta": (
        "{members} integrantes en {tables} mesas. {caption} Parejas repetidas en todas las "
        "rondas: {repeats}."
    ),
    "seating.caption": "Semilla {seed}, método {method}.",
    "seating.met_before": "Ya compartieron mesa: {pairs}.",
    "seating.absent": "Ausentes, sin mesa: {ids}.",
    "seating.met_round": "{a} y {b} (ronda {rounds})",
    "seating.met_rounds": "{a} y {b} (rondas {rounds})",
    # ---- one-line errors of the command line (--lang) ---------------------------------------
    "cli.error.row": "fila {row}",
    "cli.error.column": "columna '{column}'",
    "cli.error.fix": "Cómo corregirlo: {hint}",
    "verify.cli.heading": "Verificando {path} ({kind})",
    "verify.cli.committed": "sorteo de una lotería publicada de antemano",
    "verify.cli.seed": "sorteo en un paso (semilla)",
    "verify.cli.invitations": "sorteo de invitaciones (semilla)",
    "verify.cli.failed": "NO VERIFICADO: {count} comprobación(es) fallaron: {names}.",
    "cli.lottery.statement": (
        "El panel de {k} personas se sorteará entre {n} inscritos mediante la lotería de "
        "boletos publicada como {file}, con huella SHA-256 {fingerprint}. Tiene {tickets} "
        "boletos igualmente probables, cada uno un panel que cumple todas las cuotas "
        "publicadas, calculados con el algoritmo {algorithm}. El boleto ganador se elegirá con "
        "el procedimiento del RFC 3797 a partir de las siguientes fuentes públicas: {sources}, "
        "el {date}. Cualquiera puede recalcular el sorteo con 'sortition verify' o con el "
        "script de la biblioteca estándar de docs/auditoria.md."
    ),
    "cli.lottery.sources_missing": (
        "[indique las fuentes públicas, p. ej. el resultado de una lotería nacional]"
    ),
    "cli.lottery.date_missing": "[fecha del sorteo]",
}
