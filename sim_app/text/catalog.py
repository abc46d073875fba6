"""Translations as a gettext catalogue: every text the app shows, its English source in the
code, its Danish in ``locale/da/LC_MESSAGES/sharedsim.po``.

Each message has a context naming where it comes from (``ui:KEY``, ``param:NAME``,
``param_help:NAME``, ``group:KEY``, ``choice:VALUE``, ``figure:NAME``, ``figure_card:NAME``,
``figure_chip:NAME``,
``participant:KEY``) and its English text as the message id, so a translator edits the ``.po``
file in the tools translators use (Poedit, Weblate, Lokalize) and sees the English next to
each entry; a changed English text shows up as a new entry to translate. Babel (the Python
standard for catalogues) extracts the messages and compiles ``sharedsim.mo`` at set-up
(``scripts/translations.py``); the app reads the ``.mo`` with the standard library's
``gettext`` (or compiles the ``.po`` in memory when the ``.mo`` is missing or older).
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from functools import cache
from pathlib import Path

DOMAIN = "sharedsim"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: Languages other than English (the source language).
TRANSLATED = ("da",)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def messages() -> Iterator[tuple[str, str]]:
    """Every (context, English text) the app shows, from the code's own tables."""
    from sim.kpis import FIGURES
    from sim.params import GROUPS, specs
    from sim_app.text.participant import PARTICIPANT
    from sim_app.text.ui import CHOICES, UI

    for key, english in UI.items():
        yield f"ui:{key}", english
    for key, title in GROUPS:
        yield f"group:{key}", title
    for s in specs():
        yield f"param:{s.name}", s.label
        yield f"param_help:{s.name}", s.description
    for value, english in CHOICES.items():
        yield f"choice:{value}", english
    for f in FIGURES:
        yield f"figure:{f.name}", f.label
        if f.card:
            yield f"figure_card:{f.name}", f.card
        if f.chip:
            yield f"figure_chip:{f.name}", f.chip
    for key, english in PARTICIPANT.items():
        yield f"participant:{key}", english


def compile_po(lang: str) -> bytes:
    """The ``.mo`` bytes of ``lang``'s ``.po`` (Babel)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_path(lang), "rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """``lang``'s compiled catalogue (English: none)."""
    if lang not in TRANSLATED:
        return gettext.NullTranslations()
    po, mo = po_path(lang), mo_path(lang)
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with open(mo, "rb") as f:
            return gettext.GNUTranslations(f)
    return gettext.GNUTranslations(io.BytesIO(compile_po(lang)))


def translate(context: str, english: str, lang: str) -> str:
    """``english`` (the message of ``context``) in ``lang``; English when it has no entry."""
    if lang not in TRANSLATED:
        return english
    return translations(lang).pgettext(context, english)


def untranslated(lang: str = "da") -> list[str]:
    """Contexts of messages the code shows that ``lang``'s ``.po`` file does not translate
    (no entry for the context and English text, an empty one, or one marked fuzzy)."""
    from babel.messages.pofile import read_po

    with open(po_path(lang), "rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    missing = []
    for ctx, english in messages():
        m = catalog.get(english, context=ctx)
        if m is None or not m.string or m.fuzzy:
            missing.append(ctx)
    return missing
