"""Keep the gettext catalogues in step with the code (Babel).

    python scripts/translations.py update    # add the code's new texts to each .po, keep the
                                             # translations, mark changed ones fuzzy, drop gone ones
    python scripts/translations.py compile   # .po -> .mo (make setup runs this)
    python scripts/translations.py check     # exit 1 if a .po is out of step or untranslated

The messages and where they come from: ``sim_app.text.catalog``. Translators edit
``sim_app/text/locale/<lang>/LC_MESSAGES/sharedsim.po`` in any .po editor.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from sim_app.text.catalog import DOMAIN, TRANSLATED, messages, mo_path, po_path


def _read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN)
    with open(path, "rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def updated(lang: str) -> Catalog:
    """The code's messages with ``lang``'s translations carried over: an entry whose English
    changed keeps its old translation, marked fuzzy (to be checked)."""
    old = _read(lang)
    by_context = {m.context: m for m in old if m.id}
    new = Catalog(locale=lang, domain=DOMAIN, project="sharedsim",
                  header_comment="# Danish texts of the shared-service reform simulator.\n"
                                 "# msgctxt says where a text is shown; see sim_app/text/catalog.py.")
    for ctx, english in messages():
        same = old.get(english, context=ctx)
        if same is not None:
            new.add(english, same.string, context=ctx, flags=same.flags)
        elif ctx in by_context and by_context[ctx].string:
            new.add(english, by_context[ctx].string, context=ctx, flags={"fuzzy"})
        else:
            new.add(english, "", context=ctx)
    return new


def _entries(catalog: Catalog) -> list[tuple]:
    return [(m.context, m.id, m.string, m.fuzzy) for m in catalog if m.id]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    status = 0
    for lang in TRANSLATED:
        if command == "update":
            catalog = updated(lang)  # read before the file is opened for writing
            po_path(lang).parent.mkdir(parents=True, exist_ok=True)
            with open(po_path(lang), "wb") as f:
                write_po(f, catalog, width=100, omit_header=False, no_location=True)
            print(f"updated {po_path(lang)}")
        elif command == "compile":
            with open(po_path(lang), "rb") as f:
                catalog = read_po(f, locale=lang, domain=DOMAIN)
            with open(mo_path(lang), "wb") as f:
                write_mo(f, catalog, use_fuzzy=False)
        elif command == "check":
            fresh = updated(lang)
            if _entries(fresh) != _entries(_read(lang)):
                print(f"{po_path(lang)} is out of step with the code: run "
                      "`python scripts/translations.py update`", file=sys.stderr)
                status = 1
            todo = [m.context for m in fresh if m.id and (not m.string or m.fuzzy)]
            if todo:
                print(f"{lang}: {len(todo)} texts to translate: {', '.join(todo[:10])}",
                      file=sys.stderr)
                status = 1
        else:
            print("usage: translations.py update|compile|check", file=sys.stderr)
            return 2
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
