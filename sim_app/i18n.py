"""Every label the app shows, in English and Danish.

``tr(key, lang)`` looks a UI string up; ``param_label`` and ``group_title`` translate the
parameter definition's labels (English lives in ``sim.params``; Danish here, falling back to
English for a parameter added later without a translation). Help texts stay in English.
"""

from __future__ import annotations

LANGS = ("en", "da")

UI: dict[str, tuple[str, str]] = {
    # key: (English, Danish)
    "title": ("Shared-service reform simulator", "Simulator for fælles servicecentre"),
    "scenario": ("Scenario", "Scenarie"),
    "sources": ("Sources", "Kilder"),
    "seed": ("Seed", "Frø (seed)"),
    "seed_help": ("Random seed: same seed and settings give the same run.",
                  "Tilfældigt frø (seed): samme frø og indstillinger giver samme kørsel."),
    "seed_error": ("The seed must be a whole number ≥ 0.", "Frøet skal være et helt tal ≥ 0."),
    "play": ("Play", "Afspil"),
    "pause": ("Pause", "Pause"),
    "step": ("Step", "Et skridt"),
    "reset": ("Reset", "Nulstil"),
    "to_end": ("Whole horizon", "Hele perioden"),
    "speed": ("Speed", "Hastighed"),
    "months_per_s": ("months/s", "måneder/s"),
    "month": ("Month", "Måned"),
    "month_of": ("Month {m} of {n}", "Måned {m} af {n}"),
    "presentation": ("Presentation mode", "Præsentationstilstand"),
    "language": ("Dansk", "English"),
    "controls": ("Controls", "Indstillinger"),
    "reset_scenario": ("Back to scenario values", "Tilbage til scenariets værdier"),
    "changed": ("changed from scenario", "ændret i forhold til scenariet"),
    # KPI cards
    "kpi_break_even": ("Break-even", "Break-even"),
    "kpi_gain50": ("50 % of the gain", "50 % af gevinsten"),
    "kpi_gain90": ("90 % of the gain", "90 % af gevinsten"),
    "kpi_dip": ("Deepest service dip", "Dybeste servicedyk"),
    "kpi_shadow": ("Shadow FTE now", "Skyggeårsværk nu"),
    "kpi_not_yet": ("not yet", "endnu ikke"),
    "kpi_month": ("month {m}", "måned {m}"),
    "kpi_no_dip": ("no dip", "intet dyk"),
    "kpi_dip_value": ("{d:.0f} pp (month {m})", "{d:.0f} pp (måned {m})"),
    # charts
    "ch_gain": ("Annual gain: realised vs. business case", "Årlig gevinst: realiseret mod business case"),
    "ch_net": ("Cumulative net benefit", "Akkumuleret nettogevinst"),
    "ch_service": ("Service level", "Serviceniveau"),
    "ch_trust": ("Managers' trust in the centre", "Ledernes tillid til centret"),
    "ch_shadow": ("Shadow FTE", "Skyggeårsværk"),
    "ch_centre": ("Centre staff and backlog", "Centrets medarbejdere og pukkel"),
    "ch_network": ("Local managers", "Lokale ledere"),
    "ch_diff": ("Difference: current − baseline", "Forskel: nuværende − basislinje"),
    "realised_gain": ("realised gain", "realiseret gevinst"),
    "potential_gain": ("business-case potential", "potentiale i business case"),
    "cumulative_net_benefit": ("cumulative net benefit", "akkumuleret nettogevinst"),
    "gains_arrive": ("gains arrive", "gevinsten kommer"),
    "service_level": ("service level", "serviceniveau"),
    "dip": ("dip", "dyk"),
    "trust_mean": ("mean", "gennemsnit"),
    "trust_band": ("10–90 % of managers", "10–90 % af lederne"),
    "shadow_fte": ("shadow FTE", "skyggeårsværk"),
    "centre_fte": ("centre FTE", "årsværk i centret"),
    "backlog": ("backlog (FTE-months)", "pukkel (årsværksmåneder)"),
    "baseline": ("baseline", "basislinje"),
    "band": ("10–90 % of {n} seeds", "10–90 % af {n} kørsler"),
    "mdkk_year": ("mio. kr./year", "mio. kr./år"),
    "mdkk": ("mio. kr.", "mio. kr."),
    "fte": ("FTE", "årsværk"),
    "share": ("share", "andel"),
    "waiting": ("waiting", "venter"),
    "in_transition": ("in transition", "i overgang"),
    "served": ("served", "betjent"),
    "net_legend": ("colour = trust, size = shadow FTE, marker = phase",
                   "farve = tillid, størrelse = skyggeårsværk, form = fase"),
    # compare and uncertainty
    "compare": ("Compare", "Sammenlign"),
    "pin": ("Pin as baseline", "Fastgør som basislinje"),
    "unpin": ("Remove baseline", "Fjern basislinje"),
    "pinned": ("Baseline pinned: {label}. Both arms use seed {seed}.",
               "Basislinje fastgjort: {label}. Begge arme bruger frø {seed}."),
    "diff_metric": ("Difference of", "Forskel i"),
    "uncertainty": ("Uncertainty band", "Usikkerhedsbånd"),
    "band_seeds": ("Seeds in the band", "Frø i båndet"),
    "band_running": ("computing band: {k} of {n} seeds", "beregner bånd: {k} af {n} kørsler"),
    "band_ready": ("band from {n} seeds", "bånd fra {n} kørsler"),
    # export and import
    "export": ("Export and import", "Eksport og import"),
    "csv": ("Time series (CSV)", "Tidsserier (CSV)"),
    "scenario_file": ("Settings as scenario file", "Indstillinger som scenariefil"),
    "png": ("Charts as PNG", "Grafer som PNG"),
    "load_file": ("Drop a scenario file (.toml) here, or click to choose",
                  "Slip en scenariefil (.toml) her, eller klik for at vælge"),
    "loaded": ("Loaded scenario file {name}", "Indlæste scenariefilen {name}"),
    "bad_file": ("Could not load {name}: {error}", "Kunne ikke indlæse {name}: {error}"),
    "custom": ("(from file)", "(fra fil)"),
    "error": ("Error", "Fejl"),
}

GROUPS_DA = {
    "structure": "Institutioner, centre og netværk",
    "rollout": "Udrulning",
    "staff": "Medarbejdere og overdragelse",
    "trust": "Tillid, dialog og skyggefunktioner",
    "centre": "Centret",
    "digital": "Digitalisering",
    "economics": "Økonomi",
    "run": "Kørsel",
}

PARAMS_DA = {
    "n_institutions": "Institutioner",
    "institution_source": "Institutioner fra",
    "baseline_fte_total": "Årsværk på opgaven før",
    "size_dispersion": "Spredning i størrelse",
    "n_groups": "Grupper (regioner)",
    "n_centres": "Centre",
    "network": "Netværk mellem ledere",
    "network_degree": "Kolleger pr. leder",
    "network_rewiring": "Omkobling",
    "network_within_group": "Bånd inden for gruppen",
    "preparation_months": "Forberedelse",
    "rollout": "Udrulning",
    "n_waves": "Bølger",
    "wave_interval_months": "Måneder mellem bølger",
    "wave_order": "Rækkefølge",
    "adoption": "Tilslutning",
    "adoption_trust_threshold": "Tærskel for tilslutning",
    "transition_months": "Overgang (opsigelse)",
    "local_share": "Arbejde der bliver lokalt",
    "transfer_share": "Medarbejdere overført",
    "redundancy_share": "Overskud afskediget",
    "local_attrition_rate": "Lokal afgang",
    "centre_attrition_rate": "Afgang i centret",
    "hiring_lag_months": "Ansættelsesforsinkelse",
    "staffing_buffer": "Bemandingsbuffer",
    "relocation_month": "Flyttemåned",
    "relocation_staff_loss": "Medarbejdere tabt ved flytning",
    "relocation_experience_loss": "Erfaring tabt",
    "initial_trust": "Tillid ved start",
    "initial_trust_spread": "Spredning i tillid ved start",
    "expected_service": "Forventet service",
    "trust_learning_rate": "Tillidens læringsrate",
    "loss_aversion": "Tabsaversion",
    "dialogue_effort": "Dialogindsats",
    "dialogue_trust_rate": "Dialogens effekt",
    "peer_influence": "Kollegers indflydelse",
    "task_split_clarity": "Klar opgavedeling",
    "control_need_mean": "Behov for kontrol",
    "control_need_spread": "Spredning i kontrolbehov",
    "shadow_max_share": "Største skyggefunktion",
    "shadow_build_months": "Tid til opbygning af skygge",
    "shadow_dismantle_months": "Tid til afvikling af skygge",
    "rework_per_shadow": "Omarbejde fra skygge",
    "service_noise": "Støj i service",
    "scale_gain_share": "Planlagt stordriftsgevinst",
    "initial_productivity": "Produktivitet ved start",
    "progress_ratio": "Læringskurve (progress ratio)",
    "planned_learning_months": "Planlagt læringstid",
    "golive_dip": "Dyk ved idriftsættelse",
    "dip_recovery_months": "Genopretning efter dyk",
    "backlog_clear_months": "Tid til at afvikle pukkel",
    "digital_gain_share": "Digitaliseringsgevinst",
    "digital_early_share": "Muligt uden regelændringer",
    "digital_start_month": "Digitalisering starter",
    "digital_ramp_months": "Udrulningstid for IT",
    "rule_changes": "Statslige regelændringer",
    "rule_change_delay_months": "Forsinkelse af regelændringer",
    "fte_cost_mdkk": "Pris pr. årsværk",
    "establishment_cost_mdkk": "Etableringsomkostning",
    "it_investment_mdkk": "IT-investering",
    "it_running_cost_mdkk": "IT-driftsomkostning",
    "onboarding_cost_per_fte_mdkk": "Oplæringsomkostning",
    "severance_cost_per_fte_mdkk": "Fratrædelsesomkostning",
    "dialogue_cost_mdkk": "Dialogomkostning",
    "relocation_cost_mdkk": "Flytteomkostning",
    "months": "Horisont",
    "start_year": "Startår",
}

CHOICES_DA = {
    "synthetic": "syntetiske", "dk_municipalities_2012": "danske kommuner 2012",
    "complete": "alle kender alle", "small_world": "lille verden", "clustered": "klynger",
    "big_bang": "big bang", "waves": "bølger", "size": "størst først", "group": "gruppe for gruppe",
    "random": "tilfældig", "mandatory": "obligatorisk", "voluntary": "frivillig",
}
CHOICES_EN = {
    "synthetic": "synthetic", "dk_municipalities_2012": "Danish municipalities 2012",
    "complete": "complete", "small_world": "small world", "clustered": "clustered",
    "big_bang": "big bang", "waves": "waves", "size": "largest first", "group": "group by group",
    "random": "random", "mandatory": "mandatory", "voluntary": "voluntary",
}


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


def group_title(key: str, english_title: str, lang: str) -> str:
    """The title of a parameter group in ``lang``."""
    return GROUPS_DA.get(key, english_title) if lang == "da" else english_title


def choice_label(value: str, lang: str) -> str:
    """A choice value in words."""
    table = CHOICES_DA if lang == "da" else CHOICES_EN
    return table.get(value, value.replace("_", " "))
