"""Find a Health and Wellbeing Board by any spelling the sources use, or by an area it is made of.

Every name and code a run's database holds for an HWB is an alias: the published name and ONS code, the names
and LA codes of its rows in the quarter's DToC workbooks, its name in the population estimates, and the areas
the geography lookup adds to its DToC row (the Isles of Scilly, E06000053, to Cornwall's). Matching ignores case,
punctuation and '&' against 'and'; an exact alias wins, then a prefix shared by one HWB only, then whole words
found in one HWB's names only ('Hull' finds Kingston upon Hull). When none is found, or several, the suggestions
are ranked: names that start with the query, then names holding it as a word, then names with a word that starts
with it, then names spelt like it (`Kingston` suggests the two Kingstons before Islington and Warrington).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import duckdb

from dtoc.errors import DtocError
from dtoc.model.database import run_query

HOW = {
    "published": "",
    "code": "",
    "dtoc_name": "'{alias}' is how the DToC workbooks name {name} ({code})",
    "la_code": "'{alias}' is the LA code of {name} ({code}) in the DToC workbooks",
    "mye_name": "'{alias}' is how the population estimates name {name} ({code})",
    "part": "{part} is part of {name}'s DToC row ({code}): its population is counted in {name}'s",
}
PREFERENCE = ("published", "code", "dtoc_name", "la_code", "mye_name", "part")


@dataclass(frozen=True)
class Found:
    """The HWB a query names; `note` says how when the query was not its own name or code ('Isles of Scilly is
    part of Cornwall's DToC row ...')."""

    hwb_code: str
    hwb_name: str
    note: str


def normalise(text: str) -> str:
    """'Telford & Wrekin, UA' -> 'telford and wrekin ua'."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower().replace("&", " and ")).split())


def read_aliases(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None, str]]:
    """(hwb_code, alias, source, part name, hwb_name) for every alias of every published HWB."""
    names = dict(connection.execute("select hwb_code, hwb_name from expectations").fetchall())
    rows = run_query(connection, "hwb_aliases").fetchall()
    return [(code, alias, source, part, names[code]) for code, alias, source, part in rows if alias]


def find_hwb(connection: duckdb.DuckDBPyConnection, query: str) -> Found:
    """The HWB a query names (see the module docstring); DtocError with suggestions when none or several do."""
    aliases = read_aliases(connection)
    wanted = normalise(query)
    exact = [a for a in aliases if normalise(a[1]) == wanted]
    prefixed = [a for a in aliases if wanted and normalise(a[1]).startswith(wanted)]
    worded = [
        a for a in aliases if wanted and f" {wanted} " in f" {normalise(a[1])} "
    ]  # 'Hull' in 'Kingston upon Hull'
    if len({a[0] for a in exact}) > 1:
        raise DtocError(
            f"{query!r} names more than one HWB: "
            + ", ".join(sorted({f"{a[4]} ({a[0]})" for a in exact}))
            + "; give the ONS code"
        )
    for matches in (exact, prefixed, worded):
        if len({a[0] for a in matches}) == 1:
            code, alias, source, part, name = min(matches, key=lambda a: PREFERENCE.index(a[2]))
            return Found(code, name, HOW[source].format(alias=alias, name=name, code=code, part=part))
    several = {a[4] for a in prefixed or worded}
    if len(several) > 1:
        named = [name for name in suggestions(aliases, wanted, len(aliases)) if name in several]
        raise DtocError(
            f"{query!r} could be {len(named)} HWBs: {', '.join(named)}; give more of the name or the ONS code"
        )
    shown = suggestions(aliases, wanted)
    hint = f"; did you mean: {', '.join(shown)}?" if shown else ""
    raise DtocError(f"no HWB called or coded {query!r} in this publication{hint}")


def suggestions(aliases: list[tuple[str, str, str, str | None, str]], wanted: str, most: int = 8) -> list[str]:
    """HWB names to suggest for a query (normalised), best first: names that start with it, names holding it as a
    word, names with a word starting with it, then names spelt like it (difflib); each HWB once."""
    names = {normalise(a[1]): a[4] for a in aliases}
    ranked = [
        *(name for alias, name in names.items() if wanted and alias.startswith(wanted)),
        *(name for alias, name in names.items() if wanted and f" {wanted} " in f" {alias} "),
        *(name for alias, name in names.items() if wanted and f" {wanted}" in f" {alias}"),
        *(names[alias] for alias in difflib.get_close_matches(wanted, names, n=most, cutoff=0.5)),
    ]
    return list(dict.fromkeys(ranked))[:most]
