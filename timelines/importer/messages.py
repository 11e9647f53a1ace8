"""Every text the importer shows a person, in one table so it can be translated.

`say(key, lang, **values)` falls back to English for a language or key not translated yet.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "year_option": "{year} (given with --year)",
        "year_title": "{year} (from the title, line {line})",
        "year_full_dates": "{year} (from the first full date, line {line})",
        "year_list_order": "{year} (from the order of the milestone list, line {line})",
        "year_stated": "{year} (the earliest year stated in a date, line {line})",
        "year_none": "none found: dates without a year are not read (use --year)",
        "skip_no_activity": "table skipped: no activity column in its header",
        "skip_no_header": "table skipped: no header row, so no activity column",
        "inherited_period": "no date of its own; took the plan period '{when}'",
        "inherited_group": "no date of its own; took the date of its group '{when}'",
        "no_date": "no date, and the plan has no period to take",
        "undated": "undated ('{when}'): set a date when it is known",
        "unparsed": "date not read: '{when}'",
        "no_year": "date without a year and no year for the plan: '{when}'",
        "owner_unread": "owner not read as roles: '{text}'",
        "no_owner": "no owner",
        "summary_title": "{source} → {target}",
        "summary_counts": (
            "{tasks} tasks: {dated} dated, {inherited} inherited, {undated} undated; "
            "{owners} owners/roles"
        ),
        "summary_year": "year: {text}",
        "summary_attention": "needs attention",
        "col_line": "line",
        "col_reason": "why",
        "exists": "{path} exists; use --force to overwrite it",
        "cannot_read": "cannot read {path}: {error}",
        "binary": "{path} is a {kind} file: save it as text (.txt) and import that",
        "progress": "importing",
        "bad_lang": "--lang {given}: expected one of {langs}",
        "failed": "{failed} of {total} file(s) not imported",
        "not_written": "(not written)",
    },
    "nb": {
        "inherited_period": "ingen egen dato; fikk planperioden «{when}»",
        "inherited_group": "ingen egen dato; fikk datoen til gruppen «{when}»",
        "undated": "uten dato («{when}»): sett dato når den er kjent",
        "unparsed": "dato ikke lest: «{when}»",
        "owner_unread": "ansvarlig ikke lest som roller: «{text}»",
        "no_owner": "ingen ansvarlig",
        "exists": "{path} finnes; bruk --force for å overskrive",
    },
    "nn": {
        "inherited_period": "ingen eigen dato; fekk planperioden «{when}»",
        "inherited_group": "ingen eigen dato; fekk datoen til gruppa «{when}»",
        "undated": "utan dato («{when}»): set dato når han er kjend",
        "unparsed": "dato ikkje lesen: «{when}»",
        "owner_unread": "ansvarleg ikkje lesen som roller: «{text}»",
        "no_owner": "ingen ansvarleg",
        "exists": "{path} finst; bruk --force for å skrive over",
    },
    "sv": {
        "inherited_period": "inget eget datum; fick planperioden ”{when}”",
        "inherited_group": "inget eget datum; fick gruppens datum ”{when}”",
        "undated": "utan datum (”{when}”): sätt datum när det är känt",
        "unparsed": "datum inte läst: ”{when}”",
        "owner_unread": "ansvarig inte läst som roller: ”{text}”",
        "no_owner": "ingen ansvarig",
        "exists": "{path} finns; använd --force för att skriva över",
    },
}


def say(key: str, lang: str = "en", **values: object) -> str:
    table = MESSAGES.get(lang, {})
    template = table.get(key) or MESSAGES["en"].get(key, key)
    return template.format(**values)
