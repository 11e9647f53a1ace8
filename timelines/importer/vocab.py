"""The words the importer recognises, as data: a new header word or status word is one line.

Everything is compared after `lines.fold_header` (lower case, single spaces, no space around
"/"), so write entries in that form. Languages overlap on purpose: a document is read with
every vocabulary at once, which is safe because the words do not contradict each other.
"""

from __future__ import annotations

# Table header words per column role. A header cell matches when it equals an entry or starts
# with one followed by a non-letter ("Budsjett 2022", "Tiltak /prosjekt - realisering ...").
COLUMNS: dict[str, tuple[str, ...]] = {
    "activity": (
        "aktiviteter", "aktivitet", "aktivitetar", "hovedaktiviteter", "hovudaktivitetar",
        "hovedaktivitet", "tiltak", "tiltak/prosjekt", "åtgärder", "åtgärd", "insatser",
        "oppgaver", "oppgåver", "uppgifter", "milepæler", "milepæl", "milepælar", "milstolpar",
        "milstolpe", "hva", "kva", "vad", "activities", "activity", "tasks", "actions",
    ),
    "date": (
        "start- och slutdatum", "start- og sluttdato", "startdatum", "slutdatum", "dato/tid",
        "dato", "datum", "tidsplan", "tidsperiod", "tidsperiode", "tidsrom", "tidspunkt",
        "tid", "frist", "tidsfrist", "tidsramme", "tidplan", "startdato", "sluttdato", "når",
        "när", "periode", "period", "deadline", "date", "when",
    ),
    "owner_and_participants": (
        "ansvar og deltaking", "ansvar og deltakelse", "ansvar och deltagande",
    ),
    "owner": (
        "ansvar", "ansvarlig", "ansvarleg", "ansvarig", "ansvariga", "ansvarlige", "hvem", "kven",
        "vem", "owner",
    ),
    "participants": (
        "deltaking", "deltakelse", "deltakere", "deltakarar", "deltagare", "medverkande",
        "involverte", "samarbeidspartnere", "samarbeidspartar", "samarbetspartner",
    ),
    "money": (
        "budsjett", "budsjett/finansiering", "finansiering", "ressurs/finansiering",
        "ressursar", "ressurser", "kostnad", "kostnader", "budget", "midler", "kostnadsramme",
    ),
    "description": (
        "beskrivning", "beskrivelse", "beskriving", "kommentar", "kommentarer", "merknad",
        "merknader", "innhold", "innhald", "description", "notes",
    ),
    "status": ("status", "statusrapport", "läge"),
    "group": (
        "satsingsområde", "satsingsområder", "innsatsområde", "insatsområde", "fokusområde",
        "strategi", "delmål", "mål", "målsetting", "målsättning", "tema", "område",
    ),
}

# First-cell labels of hierarchical tables ("Målsetting A", "Strategi", "Tiltak 1"): rows
# labelled as tasks become tasks, rows labelled as groups give the tasks below their section.
TASK_LABELS = ("tiltak", "aktivitet", "åtgärd", "insats", "oppgave", "oppgåve", "uppgift")
GROUP_LABELS = ("målsetting", "målsättning", "mål", "delmål", "innsatsområde", "insatsområde")

# Headings that name a part of any plan rather than a section of this one.
NOT_SECTIONS = (
    "delmål", "mål", "hovedmål", "hovudmål", "visjon", "vision", "verdiar", "verdier",
    "bakgrunn", "bakgrund", "formål", "syfte", "innhold", "innhald", "innehåll",
)

# Words that name the document itself: a title with one of these and a year gives the period.
PLAN_WORDS = (
    "handlingsplan", "handlingsprogram", "genomförandeplan", "verksamhetsplan", "plan",
    "årsplan", "tiltaksplan", "aktivitetsplan", "rapportering", "program",
)

# A heading with one of these words introduces a list of activities (numbered or bulleted).
ACTIVITY_HEADINGS = (
    "aktivitet", "aktiviteter", "aktivitetene", "aktivitetane", "aktiviteterna", "tiltak",
    "tiltaka", "tiltakene", "åtgärder", "åtgärderna", "milepæler", "milepælar", "milstolpar",
    "fremdrift", "framdrift", "tidsplan", "tidplan", "tidsplanen", "innspillsmøter",
    "innspelsmøte", "møter", "möten",
)

# Verbs that announce when the plan itself is revised: "Handlingsplanen rulleres høsten 2020".
REVISION_VERBS = (
    "rulleres", "rullerast", "rulleras", "revideres", "reviderast", "revideras", "oppdateres",
    "oppdaterast", "uppdateras", "evalueres", "evaluerast", "utvärderas",
)

# Status remarks: the first word(s) after "STATUS:" decide; anything else is kept as a note.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "done": (
        "gjennomført", "gjennomførd", "gjennomfört", "ferdig", "ferdigstilt", "fullført",
        "avsluttet", "avslutta", "utført", "levert", "genomförd", "genomfört", "klar",
        "slutförd", "avklart", "vedtatt", "utarbeidet", "utarbeida", "utarbetad",
    ),
    "ongoing": (
        "pågår", "pågående", "pågåande", "påbegynt", "påbyrja", "påbörjad", "under arbeid",
        "under arbete", "i gang", "igang", "startet", "starta", "startad", "løpende",
        "løpande", "löpande", "fortløpende", "kontinuerlig",
    ),
    "cancelled": (
        "avlyst", "avlyst.", "kansellert", "utgår", "utgått", "skrinlagt", "inställd",
    ),
}
STATUS_MARKERS = ("status:", "status -", "status –")

# Owner prefixes inside a cell or a line: "Ansvar: SR Deltaking: Kommunane".
OWNER_PREFIXES = ("ansvar", "ansvarlig", "ansvarleg", "ansvarig", "ansvarige", "huvudansvarig")
PARTICIPANT_PREFIXES = (
    "deltaking", "deltakelse", "deltakere", "deltakarar", "deltagare", "deltar", "medverkande",
)
# Separators inside a list of roles ("AU / regionrådgiver", "SR og kommunane").
ROLE_SEPARATORS = ("/", ",", ";", "+", "&", " og ", " och ", " and ", " samt ")
ROLE_MAX_WORDS = 4

# Budget units in NOK per unit ("4,8 mill", "100.000 kroner", "250' ").
MONEY_UNITS: dict[str, int] = {
    "mrd": 1_000_000_000, "milliard": 1_000_000_000, "milliarder": 1_000_000_000,
    "mill": 1_000_000, "mill.": 1_000_000, "million": 1_000_000, "millioner": 1_000_000,
    "miljoner": 1_000_000, "mnok": 1_000_000, "mkr": 1_000_000, "msek": 1_000_000,
    "tusen": 1_000, "tkr": 1_000, "'": 1_000,
    "kr": 1, "kr.": 1, "kroner": 1, "kronor": 1, "nok": 1, "sek": 1, ",-": 1,
}

# Markers of each language, counted as whole words; the highest score wins, nb on a tie.
LANG_MARKERS: dict[str, tuple[str, ...]] = {
    "sv": (
        "och", "för", "är", "att", "inte", "till", "från", "ska", "kvartalet", "ansvarig",
        "genomförande", "beskrivning", "länet", "kommunerna", "inom", "också", "samråd",
    ),
    "nn": (
        "ikkje", "eit", "ein", "frå", "korleis", "dei", "vera", "vere", "kommunane", "berre",
        "mykje", "saman", "gjennomføra", "medverka", "deltaking", "vidare", "handsaming",
        "fleire", "vert", "heile", "eigen", "eigne", "noko", "kva", "korleis",
    ),
    "nb": (
        "ikke", "et", "en", "fra", "hvordan", "de", "være", "kommunene", "bare", "mye",
        "sammen", "gjennomføre", "deltakelse", "videre", "flere", "hver", "egen", "noe",
    ),
}

# A list under a heading with one of these reports work already done ("aktivitetene fram til
# nå"): its items are done unless they say they are still going on.
REPORT_WORDS = ("nå", "no", "hittil", "hittills", "gjennomførte", "genomförda", "rapportering")
