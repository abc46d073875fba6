"""Numbers, units and months in words, in English or Danish.

Danish writes decimal commas and thousands points ("1.234,5"), English the other way round
("1,234.5"). Units come from the parameter definition (``sim.params``) in English and are
translated here; a unit with no translation is shown as it is (symbols such as "σ (log)").
"""

from __future__ import annotations

import math

#: Units of the parameter definition and of the charts, in Danish.
UNITS_DA: dict[str, str] = {
    "months": "måneder",
    "month": "måned",
    "count": "antal",
    "share": "andel",
    "FTE": "årsværk",
    "per year": "pr. år",
    "per month": "pr. måned",
    "peers": "kolleger",
    "waves": "bølger",
    "trust": "tillid",
    "ratio": "forhold",
    "year": "år",
    "sd": "sd",
    "× baseline": "× udgangspunkt",
    "mio. kr.": "mio. kr.",
    "mio. kr./year": "mio. kr./år",
    "mio. kr./FTE": "mio. kr./årsværk",
    "mio. kr./FTE/year": "mio. kr./årsværk/år",
    "FTE-months": "årsværksmåneder",
    "pp": "procentpoint",
    "months/month": "måneder/måned",
    "× FTE cost": "× årsværkspris",
    "weeks": "uger",
}

#: Month names for the charts' tooltips.
MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "da": ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.",
           "nov.", "dec."),
}


def unit(text: str, lang: str) -> str:
    """A unit in ``lang`` (English units are the definition's own)."""
    if lang != "da" or not text:
        return text
    return UNITS_DA.get(text, text)


def num(value: float | int | None, digits: int = 0, lang: str = "en") -> str:
    """A number with ``digits`` decimals, grouped in thousands, in ``lang``'s convention."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{float(value):,.{digits}f}"
    if lang == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text.replace("-", "−") if text.startswith("-") else text


def short(value: float | int | None, lang: str = "en") -> str:
    """A parameter value as short as it can be written exactly (``0,05``, ``1.000``)."""
    if value is None:
        return "–"
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 1:
        return num(value, 0, lang)
    text = f"{float(value):g}"
    if "e" in text:
        return text.replace(".", ",") if lang == "da" else text
    digits = len(text.split(".")[1]) if "." in text else 0
    return num(value, digits, lang)


def percent(share: float | None, lang: str = "en", digits: int = 0) -> str:
    """A share as a percentage: ``0.693`` -> "69 %"."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{num(100 * share, digits, lang)} %"


def year_of(month: int, start_year: int) -> int:
    """The calendar year of model month ``month`` (month 1 is January of ``start_year``)."""
    return int(start_year) + (int(month) - 1) // 12


def month_label(month: int, start_year: int, lang: str = "en") -> str:
    """A model month in calendar words: month 25 from 2025 -> "Jan 2027"."""
    name = MONTHS["da" if lang == "da" else "en"][(int(month) - 1) % 12]
    return f"{name} {year_of(month, start_year)}"


#: The model's input messages (``sim.errors``, ``sim.scenarios``, ``sim.params``) phrase by
#: phrase in Danish; names, values and file names stay as they are.
ERRORS_DA: tuple[tuple[str, str], ...] = (
    ("unknown parameter", "ukendt parameter"),
    ("unknown key", "ukendt nøgle"),
    ("unknown scenario", "ukendt scenarie"),
    ("Did you mean", "Mente du"),
    ("is not allowed", "er ikke tilladt"),
    ("allowed:", "tilladt:"),
    ("Allowed:", "Tilladt:"),
    ("not valid TOML", "ikke gyldig TOML"),
    ("is required and must be text", "skal angives og være tekst"),
    ("must be a list of text", "skal være en liste af tekst"),
    ("must be text", "skal være tekst"),
    ("must be a table", "skal være en tabel"),
    ("a whole number ≥ 0", "et helt tal ≥ 0"),
    ("story pause", "pause"),
    ("names are allowed: see the controls or docs/api.md",
     "navne er tilladt: se indstillingerne eller docs/api.md"),
    ("(line ", "(linje "),
    (" to ", " til "),
    ("greater than or equal to", "større end eller lig med"),
    ("less than or equal to", "mindre end eller lig med"),
    ("Input should be", "Værdien skal være"),
)


def error_text(message: str, lang: str) -> str:
    """A loader's one-line message in ``lang`` (Danish phrase by phrase)."""
    if lang != "da":
        return message
    for en, da in ERRORS_DA:
        message = message.replace(en, da)
    return message
