"""Every label the app shows, in English and Danish.

``tr(key, lang)`` looks a UI string up; ``param_label`` and ``group_title`` translate the
parameter definition's labels and one-line help texts (English lives in ``sim.params``; Danish
here, keyed by parameter name: ``PARAMS_DA`` and ``PARAMS_HELP_DA``). A parameter added later
without a translation falls back to English on screen, and a component test fails
(``test_every_parameter_has_danish_label_and_help``). Units and numbers are written in the
page's language by ``sim_app.text.fmt``; scenario texts by ``sim_app.text.scenarios``.
"""

from __future__ import annotations

from sim_app.text.params_da import (
    CHOICES_DA,
    CHOICES_EN,
    GROUPS_DA,
    PARAMS_DA,
    PARAMS_HELP_DA,
)
from sim_app.text.ui import UI

LANGS = ("en", "da")


def tr(key: str, lang: str = "en", **fmt: object) -> str:
    """Return the UI string ``key`` in ``lang`` ('en' or 'da'), formatted with ``fmt``."""
    en, da = UI[key]
    text = da if lang == "da" else en
    return text.format(**fmt) if fmt else text


def param_label(spec, lang: str) -> str:
    """The label of a parameter (a ``ParamSpec``) in ``lang``."""
    if lang == "da":
        return PARAMS_DA.get(spec.name, spec.label)
    return spec.label


def param_help(spec, lang: str) -> str:
    """The one-line help text of a parameter (a ``ParamSpec``) in ``lang``."""
    if lang == "da":
        return PARAMS_HELP_DA.get(spec.name, spec.description)
    return spec.description


def group_title(key: str, english_title: str, lang: str) -> str:
    """The title of a parameter group in ``lang``."""
    return GROUPS_DA.get(key, english_title) if lang == "da" else english_title


def choice_label(value: str, lang: str) -> str:
    """A choice value in words."""
    table = CHOICES_DA if lang == "da" else CHOICES_EN
    return table.get(value, value.replace("_", " "))
