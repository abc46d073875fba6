"""Every label the app shows, in the page's language.

``tr(key, lang)`` looks a UI string up (English in ``sim_app.text.ui``); ``param_label``,
``param_help``, ``group_title`` and ``choice_label`` write the parameter definition's texts
(English in ``sim.params``). Translations come from the gettext catalogue
(``sim_app.text.catalog``, ``locale/da/LC_MESSAGES/sharedsim.po``); a text without one is
shown in English, and ``test_every_text_has_a_danish_translation`` names it. Units and numbers
are written by ``sim_app.text.fmt``; scenario texts by ``sim_app.text.scenarios``.
"""

from __future__ import annotations

from sim_app.text.catalog import translate
from sim_app.text.ui import CHOICES, UI

LANGS = ("en", "da")


def tr(key: str, lang: str = "en", **fmt: object) -> str:
    """Return the UI string ``key`` in ``lang`` ('en' or 'da'), formatted with ``fmt``."""
    text = translate(f"ui:{key}", UI[key], lang)
    return text.format(**fmt) if fmt else text


def param_label(spec, lang: str) -> str:
    """The label of a parameter (a ``ParamSpec``) in ``lang``."""
    return translate(f"param:{spec.name}", spec.label, lang)


def param_help(spec, lang: str) -> str:
    """The one-line help text of a parameter (a ``ParamSpec``) in ``lang``."""
    return translate(f"param_help:{spec.name}", spec.description, lang)


def group_title(key: str, english_title: str, lang: str) -> str:
    """The title of a parameter group in ``lang``."""
    return translate(f"group:{key}", english_title, lang)


def choice_label(value: str, lang: str) -> str:
    """A choice value in words."""
    english = CHOICES.get(value, value.replace("_", " "))
    return translate(f"choice:{value}", english, lang)


def param_value(spec, value: object, lang: str, labelled: bool = False) -> str:
    """A parameter's value in words, never a code: a choice's label, on/off, or the number
    with its unit ("Roll-out: big bang" with ``labelled``)."""
    from sim_app.text.fmt import short, unit

    if spec.kind == "choice":
        text = choice_label(str(value), lang)
    elif spec.kind == "bool":
        text = tr("on" if value else "off", lang)
    else:
        u = spec.unit if spec.unit not in ("0–1", "share", "trust", "sd", "ratio") else ""
        text = short(value, lang) + (f" {unit(u, lang)}" if u else "")
    return f"{param_label(spec, lang)}: {text}" if labelled else text
