"""Allies by ISO-3 code or by name, in any case and with or without accents."""

from __future__ import annotations

import unicodedata

from twotier._arguments import checked
from twotier.data import MEMBERS, NatoData, load_data
from twotier.errors import UnknownAllyError, _shown

__all__ = ["resolve_ally"]

#: Other names readers use for some allies (keys are normalised, see ``_key``).
_ALIASES = {
    "turkey": "TUR",
    "czechrepublic": "CZE",
    "slovakrepublic": "SVK",
    "unitedstatesofamerica": "USA",
    "us": "USA",
    "uk": "GBR",
    "greatbritain": "GBR",
    "britain": "GBR",
    "thenetherlands": "NLD",
    "macedonia": "MKD",
}


def _key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name ("Türkiye" -> "turkiye")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


@checked
def resolve_ally(ally: str, data: NatoData | None = None) -> str:
    """Return the ISO-3 code of a NATO member given its code or its name, in any case.

    Examples
    --------
    >>> resolve_ally("spain"), resolve_ally("ESP"), resolve_ally("Turkiye")
    ('ESP', 'ESP', 'TUR')
    """
    d = load_data() if data is None else data
    names = {_key(str(n)): str(c) for c, n in zip(d.allies["iso3"], d.allies["name"], strict=True)}
    key = _key(str(ally))
    code = str(ally).strip().upper()
    if code in MEMBERS:
        return code
    found = names.get(key) or _ALIASES.get(key)
    if found is None:
        raise UnknownAllyError(
            f"ally: {_shown(ally)} is neither the ISO-3 code nor the name of a NATO member; "
            f"accepted: {', '.join(sorted(MEMBERS))} or their names (e.g. Spain)",
            field="ally",
        )
    return found
