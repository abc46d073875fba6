"""The parameter definition's texts in Danish: group titles, labels, one-line help texts
and choice names, keyed by name (English lives in ``sim.params``)."""

from __future__ import annotations

GROUPS_DA = {
    "structure": "Institutioner, centre og netværk",
    "rollout": "Udrulning",
    "staff": "Medarbejdere og overdragelse",
    "trust": "Tillid, dialog og skyggefunktioner",
    "centre": "Centret",
    "failure": "Svigt, reaktion og betaling",
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
    "centre_release_months": "Tid til afvikling af overbemanding",
    "relocation_month": "Flyttemåned",
    "relocation_staff_loss": "Medarbejdere tabt ved flytning",
    "relocation_experience_loss": "Erfaring tabt",
    "initial_trust": "Tillid ved start",
    "initial_trust_spread": "Spredning i tillid ved start",
    "expected_service": "Lovet service",
    "service_tolerance": "Servicetolerance",
    "trust_learning_rate": "Erfaringens vægt",
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
    "local_it_cost_mdkk": "Institutionernes egen IT-udgift",
    "months": "Horisont",
    "start_year": "Startår",
    # behavioural core
    "trust_prior_months": "Vægt af første indtryk",
    "trust_memory_months": "Tillidens hukommelse",
    "expectation_months": "Forventningens tilpasning",
    "failure_visibility": "Synlige svigt",
    "shadow_alarm": "Alarm efter en dårlig måned",
    "shadow_enforcement": "Håndhævede skyggekutt",
    "enforcement_trust_cost": "Tillidspris for håndhævelse",
    "frontier_productivity": "Teknisk grænse",
    "novice_productivity": "Nyansattes produktivitet",
    "training_months": "Oplæringstid",
    "scale_elasticity": "Tab af stordrift",
    "service_target": "Servicemål",
    "failure_response": "Reaktion på svigt",
    "response_delay_months": "Reaktionstid",
    "emergency_staff_share": "Nødbemanding",
    "emergency_cost_premium": "Merpris for nødbemanding",
    "rebaseline_cost_mdkk": "Pris for ny plan",
    "staff_cut_lead_months": "Personalekutt før læring",
    "backlog_cost_share": "Pris for forsinket arbejde",
    "error_rate_novice": "Fejl under indlæring",
    "error_rate_strain": "Fejl under pres",
    "workaround_share": "Lokalt ekstraarbejde pr. fejl",
    "charging": "Betaling",
    "unit_cost_spread": "Spredning i egen stykpris",
    "charge_sensitivity": "Følsomhed over for pris",
    "exit_trust_threshold": "Grænse for udtræden",
    "exit_when_mandatory": "Udtræden trods pligt",
    "join_notice_months": "Varsel før tilslutning",
    "dialogue_clarity_gain": "Dialog afklarer opgavesnittet",
    "task_change_month": "Måned for opgaveændring",
    "task_change_dip": "Fald ved opgaveændring",
    "distrust_rework": "Omarbejde fra mistillid",
}

PARAMS_HELP_DA = {
    # structure
    "n_institutions": "Institutioner, der afgiver opgaven.",
    "institution_source": "Syntetiske størrelser (lognormalfordelt) eller de 98 danske kommuner "
                          "med størrelse efter indbyggertal i 2012.",
    "baseline_fte_total": "Alle institutioners årsværk på de opgaver, der samles, før reformen.",
    "size_dispersion": "Sigma i lognormalfordelingen af de syntetiske institutioners størrelse.",
    "n_groups": "Regioner eller ministerier, som de syntetiske institutioner hører under.",
    "n_centres": "Antal servicecentre; institutionerne fordeles på centrene efter gruppe.",
    "network": "Ledernes netværk af kolleger: alle kender alle, lille verden eller klynger "
               "efter gruppe.",
    "network_degree": "Gennemsnitligt antal kolleger pr. leder i netværkene lille verden og "
                      "klynger.",
    "network_rewiring": "Sandsynligheden for, at et bånd kobles om i et lille verden-netværk.",
    "network_within_group": "Klyngenetværk: andelen af en leders bånd, der ligger i egen gruppe.",
    # roll-out
    "preparation_months": "Måneder fra beslutningen til den første idriftsættelse.",
    "rollout": "Alle institutioner på én gang (big bang) eller i bølger.",
    "n_waves": "Hvor mange bølger idriftsættelsen deles i.",
    "wave_interval_months": "Tiden mellem to bølger.",
    "wave_order": "Største først, gruppe for gruppe (region) eller i tilfældig rækkefølge.",
    "adoption": "Obligatorisk, eller frivillig: en leder tilslutter sig, når tilliden kommer "
                "over tærsklen.",
    "adoption_trust_threshold": "Ved frivillig tilslutning: den tillid, en leder skal have for "
                                "at tilslutte sig.",
    "transition_months": "Måneder fra idriftsættelsen, til institutionen regnes som betjent; "
                         "overtallige medarbejdere fratræder i denne opsigelsesperiode.",
    # staff and handover
    "local_share": "Andel af opgaven, der med god grund bliver lokalt (personlig betjening, selve "
                   "myndighedsafgørelsen).",
    "transfer_share": "Andel af en institutions overtallige medarbejdere, der flytter med til "
                      "centret ved idriftsættelsen.",
    "redundancy_share": "Andel af de resterende overtallige, der afskediges efter opsigelsen; "
                        "resten fratræder kun ved naturlig afgang.",
    "local_attrition_rate": "Naturlig afgang blandt de overtallige medarbejdere lokalt.",
    "centre_attrition_rate": "Naturlig afgang blandt centrets medarbejdere.",
    "hiring_lag_months": "Gennemsnitlig tid, før centrets rekruttering lukker et hul i "
                         "bemandingen.",
    "staffing_buffer": "Medarbejdere, som centret må have ud over business casens plan.",
    "centre_release_months": "Tidskonstant for, hvor hurtigt et center afvikler medarbejdere ud "
                             "over business casens budget (afskedigelse med "
                             "fratrædelsesgodtgørelse); 0 = kun ved naturlig afgang.",
    "relocation_month": "Måned, hvor centret flytter (0 = aldrig).",
    "relocation_staff_loss": "Andel af centrets medarbejdere, der ikke flytter med.",
    "relocation_experience_loss": "Andel af den opbyggede erfaring (læring), der går tabt.",
    # trust, dialogue and shadow functions
    "initial_trust": "Ledernes gennemsnitlige tillid til centret, da beslutningen træffes.",
    "initial_trust_spread": "Standardafvigelse i ledernes tillid ved start.",
    "expected_service": "Det serviceniveau, reformen lover; ledernes forventning starter her.",
    "service_tolerance": "Hvor langt under den forventede service en måned skal ligge for at "
                         "tælle som en helt dårlig måned.",
    "trust_learning_rate": "Den vægt, én helt god måned lægger til omdømmet, målt i måneders "
                           "erfaring.",
    "loss_aversion": "Hvor meget en dårlig måned vejer mod en god (typisk 2–3).",
    "dialogue_effort": "Centrets dialog med institutionerne (0 ingen, 1 intensiv).",
    "dialogue_trust_rate": "Den gode erfaring, en måned med fuld dialog giver – så langt lederens "
                           "egen erfaring bakker den op.",
    "peer_influence": "Den andel af kollegernes friske erfaringer, en leder tager til sig "
                      "(mund til mund).",
    "task_split_clarity": "Hvor klart opgavesnittet er beskrevet (1 = helt klart).",
    "control_need_mean": "Ledernes gennemsnitlige behov for at bevare kontrollen lokalt.",
    "control_need_spread": "Standardafvigelse i ledernes behov for kontrol.",
    "shadow_max_share": "Andel af det flyttede arbejde, som en leder uden tillid bliver ved med "
                        "at udføre lokalt i en skyggefunktion.",
    "shadow_build_months": "Tidskonstant for opbygning af skyggefunktioner.",
    "shadow_dismantle_months": "Tidskonstant for afvikling af skyggefunktioner (langsommere end "
                               "opbygningen).",
    "rework_per_shadow": "Ekstra arbejde i centret pr. enhed skyggeandel (sager, der ikke "
                         "kommer ind på standardform).",
    "service_noise": "Udsving fra måned til måned i den service, hver institution oplever.",
    # the centre
    "scale_gain_share": "Andel af det flyttede arbejdes årsværk, der spares ved fuld læring "
                        "(0,33 = 50 % mere arbejde pr. årsværk).",
    "initial_productivity": "Centrets arbejde pr. årsværk ved start i forhold til de lokale "
                            "medarbejderes.",
    "progress_ratio": "Wrights lov: indsatsen pr. sag ganges med denne faktor for hver "
                      "fordobling af den samlede mængde (0,85–0,95 for administrativt "
                      "arbejde).",
    "planned_learning_months": "Måneder, business casen giver til at nå den planlagte "
                               "produktivitet; personalebudgettet følger denne plan.",
    "golive_dip": "Tabt produktivitet, når hele mængden går i drift på én gang.",
    "dip_recovery_months": "Tidskonstant for genopretning efter et dyk ved idriftsættelse.",
    "backlog_clear_months": "Måneder, centret planlægger at bruge på at afvikle sin pukkel.",
    # digitalisation
    "digital_gain_share": "Andel af det resterende arbejde, som digitaliseringen fjerner, når "
                          "den er fuldt gennemført (KL: 50 %).",
    "digital_early_share": "Den del af digitaliseringsgevinsten, der ikke kræver "
                           "regelændringer (KL: 17 %).",
    "digital_start_month": "Måned, hvor organisationens egen digitale forberedelse er færdig.",
    "digital_ramp_months": "Måneder, før ny IT har fuld effekt.",
    "rule_changes": "Om staten gennemfører de regelændringer, som den største del af "
                    "digitaliseringsgevinsten kræver.",
    "rule_change_delay_months": "Måneder fra digitaliseringens start, til regelændringerne "
                                "træder i kraft.",
    # economics
    "fte_cost_mdkk": "Årlig udgift til ét årsværk (KL: 480.000 kr.).",
    "establishment_cost_mdkk": "Engangsudgift til at etablere centret (eller centrene), fordelt "
                               "over forberedelsen.",
    "it_investment_mdkk": "Engangsinvestering i IT, fordelt over forberedelsen.",
    "it_running_cost_mdkk": "Årlig driftsudgift til den fælles IT fra første idriftsættelse.",
    "onboarding_cost_per_fte_mdkk": "Udgift til oplæring og overførsel pr. årsværk, der "
                                    "ansættes i eller overføres til et center.",
    "severance_cost_per_fte_mdkk": "Engangsudgift pr. årsværk, der afskediges.",
    "dialogue_cost_mdkk": "Årlig udgift til dialog ved fuld indsats.",
    "relocation_cost_mdkk": "Engangsudgift til flytningen.",
    "local_it_cost_mdkk": "Årlig udgift til institutionernes egne systemer og IT-kontrakter på "
                          "opgaven før reformen; hver institutions andel ophører, når den "
                          "regnes som betjent (kontrakterne udløber i opsigelsesperioden). Den "
                          "fælles IT afløser den (004, 3.4.2).",
    # run
    "months": "Antal måneder, der simuleres.",
    "start_year": "Kalenderåret for beslutningen (måned 1).",
    # behavioural core
    "trust_prior_months": 'Hvor mange måneders erfaring lederens første indtryk af centret er værd.',
    "trust_memory_months": 'Tidskonstant for hvor hurtigt gode og dårlige erfaringer glemmes.',
    "expectation_months": 'Tidskonstant for hvor hurtigt ledernes forventede service flytter sig mod den oplevede (referencepunktet).',
    "failure_visibility": 'Dårlig erfaring, alle ledere får af andelen af institutioner, der betjenes dårligt denne måned (pressen, rygter).',
    "shadow_alarm": 'Hvor meget hurtigere skyggemedarbejdere ansættes efter en helt dårlig måned (0 = ikke hurtigere).',
    "shadow_enforcement": 'Hvor hårdt ministeriet håndhæver, at lokale skyggefunktioner skæres væk (lavere mål, hurtigere kutt); det koster tillid.',
    "enforcement_trust_cost": 'Dårlig erfaring, en måned med fuld håndhævelse giver en leder, der vil bevare kontrollen.',
    "frontier_productivity": 'Den højeste produktivitet pr. årsværk, læring kan nå (en teknisk grænse, ikke business casen: en kørsel kan slå planen).',
    "novice_productivity": 'Nyansattes produktivitet i forhold til erfarne (overflyttede medarbejdere tager erfaringen med).',
    "training_months": 'Tidskonstant for hvor hurtigt nyansatte bliver erfarne.',
    "scale_elasticity": 'Produktivitet, der tabes, når centrets volumen falder under toppen (kunder, der forlader det): (volumen/top)^elasticitet.',
    "service_target": 'Serviceniveau, under hvilket centret regnes for at svigte.',
    "failure_response": 'Hvad centret og ministeriet gør efter reaktionstiden: ansætter ud over planen, lægger planen om efter den nåede produktivitet, sætter udrulningen på pause, det hele, eller intet.',
    "response_delay_months": 'Måneders svigt (eller klager), før der reageres.',
    "emergency_staff_share": 'Medarbejdere, centret må ansætte ud over budgettet, mens det svigter.',
    "emergency_cost_premium": 'Ekstra pris for nødbemanding (vikarer, overarbejde) oven i et årsværks pris.',
    "rebaseline_cost_mdkk": 'Engangsomkostning ved at lægge business casen om.',
    "staff_cut_lead_months": 'Politisk pres: personalebudgettet regner med den planlagte produktivitet så mange måneder for tidligt.',
    "backlog_cost_share": 'Månedlig pris for hver årsværksmåned arbejde, der venter, som andel af en årsværksmåneds pris (rykkere, renter, klager).',
    "error_rate_novice": 'Andel af sager med fejl ved centrets start (falder, når det lærer).',
    "error_rate_strain": 'Ekstra andel af sager med fejl, når servicen bryder sammen.',
    "workaround_share": 'Lokal tid brugt på hver fejlbehæftet sag i forhold til sagens arbejde (dobbeltadministration).',
    "charging": 'Hvordan institutionerne betaler: slet ikke (central finansiering), en gennemsnitspris pr. sag, eller aktivitetsbaseret (hver betaler for det omarbejde, den selv skaber).',
    "unit_cost_spread": 'Lognormal spredning i institutionernes egen pris pr. sag før reformen (de effektive kan komme til at betale mere end før).',
    "charge_sensitivity": 'Dårlig erfaring pr. måned ved at betale 100 % mere end institutionens egen tidligere pris.',
    "exit_trust_threshold": 'Tillid, under hvilken en institution tager opgaven tilbage (frivillig tilslutning; 0 = aldrig).',
    "exit_when_mandatory": 'Om institutioner også kan forlade et obligatorisk center.',
    "join_notice_months": 'Frivillig tilslutning: måneder mellem lederens beslutning og overgangen (centret ansætter til de varslede).',
    "dialogue_clarity_gain": "Den del af uklarheden i opgavesnittet, fuld dialog fjerner (hvem gør hvad bliver klart).",
    "task_change_month": "Måned, hvor en regel- eller systemændring rammer centrets arbejde (0 = aldrig).",
    "task_change_dip": "Produktivitet, der tabes ved opgaveændringen (aftager som et fald ved overgang).",
    "distrust_rework": "Ekstra arbejde i centret pr. enhed af en institutions arbejde, når lederen slet ikke har tillid til centret (den beholder egne blanketter og kontroller i stedet for standardprocessen); skaleres med (1 − tillid)².",
}

CHOICES_DA = {
    "synthetic": "syntetiske", "dk_municipalities_2012": "danske kommuner 2012",
    "complete": "alle kender alle", "small_world": "lille verden", "clustered": "klynger",
    "big_bang": "big bang", "waves": "bølger", "size": "størst først", "group": "gruppe for gruppe",
    "random": "tilfældig", "mandatory": "obligatorisk", "voluntary": "frivillig",
    "none": "ingen", "emergency_hiring": "nødansættelser", "rebaseline": "ny plan",
    "pause_rollout": "pause i udrulningen", "all": "det hele", "average_cost": "gennemsnitspris",
    "activity_based": "aktivitetsbaseret",
}
CHOICES_EN = {
    "synthetic": "synthetic", "dk_municipalities_2012": "Danish municipalities 2012",
    "complete": "complete", "small_world": "small world", "clustered": "clustered",
    "big_bang": "big bang", "waves": "waves", "size": "largest first", "group": "group by group",
    "random": "random", "mandatory": "mandatory", "voluntary": "voluntary",
    "none": "none", "emergency_hiring": "emergency hiring", "rebaseline": "re-baseline",
    "pause_rollout": "pause the roll-out", "all": "all", "average_cost": "average cost",
    "activity_based": "activity-based",
}
