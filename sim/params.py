"""The one definition of every model parameter.

Each field of :class:`Params` carries its type, default, allowed range, unit, theme group, label
and one-line description. Validation (pydantic), the command line's ``--set``, scenario files,
the app's controls and sweep ranges are all derived from it through :func:`specs` and
:func:`make_params`. Nothing else in the package holds a default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.errors import ParameterError, shown, unknown_name_message

#: Theme groups in display order: (key, title).
GROUPS: list[tuple[str, str]] = [
    ("structure", "Institutions, centres and network"),
    ("rollout", "Roll-out"),
    ("staff", "Staff and transfers"),
    ("trust", "Trust, dialogue and shadow functions"),
    ("centre", "The centre"),
    ("failure", "Failure, response and charging"),
    ("programme", "The programme owner"),
    ("digital", "Digitalisation"),
    ("economics", "Economics"),
    ("run", "Run"),
]

#: Number of Danish municipalities since the 2007 reform (shared/data, 2012).
N_MUNICIPALITIES = 98


def _p(
    default: Any,
    group: str,
    unit: str,
    label: str,
    help: str,
    ge: float | None = None,
    le: float | None = None,
    mid_run: bool = True,
    applies: dict[str, tuple[str, ...]] | None = None,
    per_member: bool = False,
) -> Any:
    """Declare one parameter: default, bounds and the metadata the UIs read.

    ``mid_run=False`` for a parameter used only when the model is built (who takes part, the
    network, the waves, the horizon): a running model (a fork) refuses to change it.
    ``applies={"rollout": ("waves",)}``: the parameter has an effect only while those choices
    hold (under any other, a run is bit-identical whatever its value; tested), so a UI greys
    it out there.
    ``per_member=True`` for a whole number that only counts or compares (no array's shape or
    phase depends on it): the members of one ensemble pass may differ in it, as in numbers.
    """
    extra: dict[str, Any] = {"group": group, "unit": unit, "label": label, "mid_run": mid_run}
    if applies:
        extra["applies"] = {k: list(v) for k, v in applies.items()}
    if per_member:
        extra["per_member"] = True
    return Field(default, ge=ge, le=le, description=help, json_schema_extra=extra)


class Params(BaseModel):
    """All parameters of one simulation run (validated, immutable).

    Types are strict: a whole-number parameter takes an ``int`` (not ``True``, ``12.0`` or
    ``"12"``), a number takes an ``int`` or a finite ``float`` (not ``True``, ``"0.9"``, NaN or
    infinity), a switch takes ``True`` or ``False`` only, a choice one of its texts.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True,
                              allow_inf_nan=False)

    # --- structure -------------------------------------------------------------------------
    n_institutions: int = _p(100, "structure", "count", "Institutions",
                             "Institutions that hand the task over.", 1, 5000, mid_run=False)
    institution_source: Literal["synthetic", "dk_municipalities_2012"] = _p(
        "synthetic", "structure", "", "Institutions from",
        "Synthetic sizes (lognormal) or the 98 Danish municipalities sized by 2012 population.",
        mid_run=False)
    baseline_fte_total: float = _p(1000.0, "structure", "FTE", "Staff on the task before",
                                   "All institutions' staff on the pooled tasks before the reform.",
                                   1, 1e6, mid_run=False)
    size_dispersion: float = _p(0.8, "structure", "σ (log)", "Size dispersion",
                                "Lognormal sigma of synthetic institution sizes.", 0, 3,
                                mid_run=False, applies={"institution_source": ("synthetic",)})
    n_groups: int = _p(5, "structure", "count", "Groups (regions)",
                       "Regions or ministries the synthetic institutions belong to.", 1, 100,
                       mid_run=False)
    n_centres: int = _p(1, "structure", "count", "Centres",
                        "Shared-service centres; institutions are assigned by group.", 1, 20,
                        mid_run=False)
    network: Literal["complete", "small_world", "clustered"] = _p(
        "small_world", "structure", "", "Peer network",
        "Managers' peer network: everyone knows everyone, small world, or clustered by group.",
        mid_run=False)
    network_degree: int = _p(6, "structure", "peers", "Peers per manager",
                             "Mean number of peers in the small-world and clustered networks.",
                             1, 200, mid_run=False,
                             applies={"network": ("small_world", "clustered")})
    network_rewiring: float = _p(0.1, "structure", "share", "Rewiring",
                                 "Small-world rewiring probability.", 0, 1, mid_run=False,
                                 applies={"network": ("small_world",)})
    network_within_group: float = _p(0.8, "structure", "share", "Ties within group",
                                     "Clustered network: share of ties inside one's own group.",
                                     0, 1, mid_run=False, applies={"network": ("clustered",)})

    # --- roll-out --------------------------------------------------------------------------
    preparation_months: int = _p(12, "rollout", "months", "Preparation",
                                 "Months from the decision until the first go-live.", 0, 120,
                                 mid_run=False)
    rollout: Literal["big_bang", "waves"] = _p("waves", "rollout", "", "Roll-out",
                                               "All institutions at once, or in waves.",
                                               mid_run=False)
    n_waves: int = _p(4, "rollout", "waves", "Waves", "Number of go-live waves.", 1, 60,
                      mid_run=False, applies={"rollout": ("waves",)})
    wave_interval_months: int = _p(6, "rollout", "months", "Months between waves",
                                   "Gap between two go-live waves.", 1, 60, mid_run=False,
                                   applies={"rollout": ("waves",)})
    wave_order: Literal["size", "group", "random"] = _p(
        "size", "rollout", "", "Wave order",
        "Largest first, group by group (region), or random.", mid_run=False,
        applies={"rollout": ("waves",)})
    adoption: Literal["mandatory", "voluntary"] = _p(
        "mandatory", "rollout", "", "Adoption",
        "Mandatory, or voluntary: a manager joins once trust passes the threshold.")
    adoption_trust_threshold: float = _p(0.6, "rollout", "score", "Joining threshold",
                                         "Voluntary adoption: the decision score (trust, price "
                                         "and loss of control) needed to join.", 0, 1,
                                         applies={"adoption": ("voluntary",)})
    price_weight: float = _p(0.3, "rollout", "score per 100 %", "Weight of the price",
                             "How much paying the centre 100 % more than its own former cost "
                             "lowers a manager's score for joining or staying (stated "
                             "assumption; 0 = price ignored).", 0, 2)
    control_weight: float = _p(0.2, "rollout", "score", "Weight of lost control",
                               "How much a manager's need for control (0–1) lowers its score for "
                               "joining or staying (stated assumption; 000 box 1.2: the shared "
                               "solution is first felt as a loss of control).", 0, 2)
    transition_months: int = _p(6, "rollout", "months", "Transition (notice)",
                                "Months after go-live until the institution counts as served; "
                                "redundant staff leave over this notice period.", 0, 36)

    # --- staff -----------------------------------------------------------------------------
    local_share: float = _p(0.15, "staff", "share", "Work that stays local",
                            "Share of the task that legitimately stays local "
                            "(face-to-face service, the legal decision).", 0, 0.9, mid_run=False)
    transfer_share: float = _p(0.55, "staff", "share", "Staff moving with the work",
                               "Share of an institution's staff on the moved work that moves with "
                               "it to the centre at go-live (Udbetaling Danmark took over about "
                               "1,000 of the roughly 1,800 FTE on the work it took: 000 box 1.1, "
                               "domain.md).", 0, 1)
    redeployment_months: float = _p(12.0, "staff", "months", "Redeployment time",
                                    "Time constant over which surplus staff who are not "
                                    "dismissed are redeployed into vacancies elsewhere (stated "
                                    "assumption: vacancies open at roughly natural turnover "
                                    "across the institution; 0 = never, attrition only).", 0, 120)
    redundancy_share: float = _p(0.7, "staff", "share", "Surplus made redundant",
                                 "Share of the remaining surplus dismissed after notice; the rest "
                                 "leaves only by natural attrition.", 0, 1)
    local_attrition_rate: float = _p(0.10, "staff", "per year", "Local attrition",
                                     "Natural attrition of local surplus staff.", 0, 0.5)
    centre_attrition_rate: float = _p(0.10, "staff", "per year", "Centre attrition",
                                      "Natural attrition of centre staff.", 0, 0.6)
    hiring_lag_months: float = _p(4.0, "staff", "months", "Hiring lag",
                                  "Mean delay before the centre's hiring closes a staff gap.",
                                  0.5, 36)
    staffing_buffer: float = _p(0.15, "staff", "share", "Staffing buffer",
                                "Staff the centre may hold above the business case's plan.", 0, 2)
    centre_release_months: float = _p(6.0, "staff", "months", "Centre release time",
                                      "Time constant over which a centre releases staff above "
                                      "the business case's budget (redundancy with severance; "
                                      "salaried staff's notice is up to six months, "
                                      "Funktionærloven § 2); 0 = it sheds staff only by natural "
                                      "attrition.", 0, 120)
    hiring_capacity: float = _p(0.1, "staff", "share/month", "Hiring capacity",
                                "Most a centre can recruit in a month, as a share of the staff "
                                "its full volume needs (stated assumption: recruitment and "
                                "onboarding are finite; RR 18/2017: relocated units took years "
                                "to hire).", 0.005, 1)
    mentor_ratio: float = _p(3.0, "staff", "novices/FTE", "Trainees per mentor",
                             "Novices one experienced employee can train at a time (stated "
                             "assumption); training slows when novices outnumber mentors.",
                             0.1, 20)
    self_training_months: float = _p(24.0, "staff", "months", "Learning without a mentor",
                                     "Time constant over which novices beyond the mentors' "
                                     "capacity learn the task on their own (stated assumption: "
                                     "RR 18/2017, units staffed by new hires lost production for "
                                     "several years).", 0.5, 120)
    relocation_month: int = _p(0, "staff", "month", "Relocation month",
                               "Month the centre relocates (0 = never).", 0, 600)
    task_change_month: int = _p(0, "centre", "month", "Task change month",
                                "Month a rule or system change hits the centre's work (0 = never).",
                                0, 600)
    task_change_dip: float = _p(0.2, "centre", "share", "Task change dip",
                                "Productivity lost at the task change (decays like a go-live "
                                "dip).", 0, 0.9)
    relocation_staff_loss: float = _p(0.8, "staff", "share", "Staff lost in relocation",
                                      "Share of centre staff who do not move.", 0, 1)
    relocation_experience_loss: float = _p(0.95, "staff", "share", "Experience lost",
                                           "Share of accumulated experience (learning) lost.",
                                           0, 1)

    # --- trust, dialogue and shadow functions ----------------------------------------------
    initial_trust: float = _p(0.5, "trust", "0–1", "Initial trust",
                              "Mean trust of managers in the centre at the decision.", 0, 1,
                              mid_run=False)
    initial_trust_spread: float = _p(0.15, "trust", "sd", "Spread of initial trust",
                                     "Standard deviation of initial trust across managers.",
                                     0, 0.5, mid_run=False)
    trust_prior_months: float = _p(12.0, "trust", "months", "Weight of the first view",
                                   "How many months of experience a manager's initial view is "
                                   "worth; it is forgotten like any other evidence.", 0.5, 120,
                                   mid_run=False)
    trust_memory_months: float = _p(24.0, "trust", "months", "Trust memory",
                                    "Time constant over which good and bad experiences are "
                                    "forgotten.", 1, 600)
    expected_service: float = _p(0.95, "trust", "share", "Promised service",
                                 "Service level the reform promises; managers' expectations "
                                 "start here.", 0.5, 0.999)
    expectation_months: float = _p(12.0, "trust", "months", "Expectation adaptation",
                                   "Time constant over which a manager's expected service moves "
                                   "toward the service experienced (the reference point).",
                                   1, 600)
    service_tolerance: float = _p(0.1, "trust", "share", "Service tolerance",
                                  "Shortfall below the expected service that counts as a fully "
                                  "bad month.", 0.01, 1)
    trust_learning_rate: float = _p(1.0, "trust", "months/month", "Weight of experience",
                                    "Evidence one fully good month adds to the reputation, in "
                                    "months of evidence.", 0, 5)
    loss_aversion: float = _p(2.5, "trust", "ratio", "Loss aversion",
                              "Weight of a bad month against a good one (2–3 is usual).", 1, 5)
    dialogue_effort: float = _p(0.5, "trust", "0–1", "Dialogue effort",
                                "The centre's dialogue with institutions (0 none, 1 intensive).",
                                0, 1)
    dialogue_trust_rate: float = _p(0.5, "trust", "months/month", "Dialogue effect",
                                    "Good evidence a month of full dialogue adds, as far as the "
                                    "manager's own experience supports it.", 0, 2)
    dialogue_clarity_gain: float = _p(0.5, "trust", "share", "Dialogue clarifies the split",
                                      "Share of the task split's ambiguity that full dialogue "
                                      "resolves (who does what becomes clear).", 0, 1)
    peer_influence: float = _p(0.1, "trust", "share/month", "Peer influence",
                               "Share of the gap to its peers' mean opinion a manager closes each "
                               "month (DeGroot 1974 averaging; opinions travel along paths, "
                               "weakening with each hop; stated assumption for the size).", 0, 1)
    failure_visibility: float = _p(0.5, "trust", "share", "Visibility of failures",
                                   "Bad evidence every manager takes from the share of live "
                                   "institutions badly served this month (the press, the "
                                   "grapevine).", 0, 5)
    task_split_clarity: float = _p(0.7, "trust", "0–1", "Task-split clarity",
                                   "How clearly the work division is defined (1 = fully clear).",
                                   0, 1)
    control_need_mean: float = _p(0.5, "trust", "0–1", "Need for control",
                                  "Managers' mean need to keep control locally.", 0, 1,
                                  mid_run=False)
    control_need_spread: float = _p(0.15, "trust", "sd", "Spread of need for control",
                                    "Standard deviation of the need for control.", 0, 0.5,
                                    mid_run=False)
    shadow_max_share: float = _p(0.2, "trust", "share", "Largest shadow function",
                                 "Share of its own staff on the moved work a distrustful "
                                 "manager keeps doing it locally.", 0, 1)
    shadow_build_months: float = _p(3.0, "trust", "months", "Shadow build time",
                                    "Time constant for building shadow staff.", 0.5, 60)
    shadow_alarm: float = _p(2.0, "trust", "ratio", "Alarm after a bad month",
                             "How much faster shadow staff are built after a fully bad month "
                             "(0 = no faster).", 0, 10)
    shadow_dismantle_months: float = _p(18.0, "trust", "months", "Shadow dismantle time",
                                        "Time constant for dismantling shadow staff "
                                        "(slower than building).", 0.5, 240)
    shadow_base_pressure: float = _p(0.5, "trust", "0–1", "Shadow pressure without control need",
                                     "Pressure to keep shadow functions of a manager with no need "
                                     "for control who distrusts the centre fully (the need for "
                                     "control adds to it; stated assumption).", 0, 1)
    shadow_enforcement: float = _p(0.0, "trust", "0–1", "Enforced shadow cuts",
                                   "How hard the ministry enforces cutting local shadow staff "
                                   "(lower targets, faster cuts); it costs trust.", 0, 1)
    enforcement_cut_speed: float = _p(0.75, "trust", "share", "Faster cuts when enforced",
                                      "Share of the shadow dismantle time that full enforcement "
                                      "removes (stated assumption).", 0, 0.99)
    underground_share: float = _p(0.5, "trust", "share", "Work gone underground",
                                  "Share of the shadow work cut by order that continues "
                                  "informally (private spreadsheets, own checks): it costs time "
                                  "and rework but is not on the books as shadow staff (stated "
                                  "assumption; 000 box 1.2: shadow functions express a need for "
                                  "control that an order does not remove).", 0, 1)
    enforcement_trust_cost: float = _p(0.5, "trust", "months/month", "Trust cost of enforcement",
                                       "Bad evidence a month of full enforcement adds for a "
                                       "manager who wants to keep control.", 0, 5)
    rework_per_shadow: float = _p(0.3, "trust", "ratio", "Rework from shadow",
                                  "Extra centre work (FTE-months a month) per FTE of shadow "
                                  "staff, on the books or informal (non-standard inputs).",
                                  0, 2)
    distrust_rework: float = _p(0.3, "trust", "ratio", "Rework from distrust",
                                "Extra centre work per unit of an institution's work when its "
                                "manager does not trust the centre at all (it keeps its own "
                                "forms and checks instead of the standard process); scaled by "
                                "(1 − trust)².", 0, 2)
    service_noise: float = _p(0.02, "trust", "sd", "Service noise",
                              "Month-to-month spread of the service each institution sees.",
                              0, 0.3)

    # --- the centre ------------------------------------------------------------------------
    scale_gain_share: float = _p(0.33, "centre", "share", "Planned scale gain",
                                 "Share of the moved work's staff saved at full learning "
                                 "(0.33 = 50 % more work per FTE).", 0, 0.9)
    initial_productivity: float = _p(0.9, "centre", "× baseline", "Initial productivity",
                                     "Centre work per FTE at start, relative to local staff.",
                                     0.1, 3)
    progress_ratio: float = _p(0.85, "centre", "ratio", "Progress ratio",
                               "Wright's law: unit effort after each doubling of cumulative "
                               "volume (0.85–0.95 for clerical work).", 0.6, 1)
    frontier_productivity: float = _p(1.6, "centre", "× baseline", "Technical frontier",
                                      "Highest work per FTE learning can reach (a technical "
                                      "limit, not the business case: a run can beat its plan).",
                                      0.1, 10)
    novice_productivity: float = _p(0.7, "centre", "share", "Novice productivity",
                                    "Productivity of a newly hired centre employee relative to "
                                    "an experienced one (transferred staff bring experience).",
                                    0.05, 1)
    training_months: float = _p(6.0, "centre", "months", "Training time",
                                "Time constant over which novices become experienced.", 0.5, 60)
    scale_elasticity: float = _p(0.3, "centre", "ratio", "Loss of scale",
                                 "Productivity lost when the centre's volume falls below its "
                                 "peak (departing customers): (volume/peak)^elasticity.", 0, 2)
    planned_learning_months: int = _p(24, "centre", "months", "Planned learning time",
                                      "Months the business case allows to reach the planned "
                                      "productivity; the staff budget follows this plan.", 1, 120)
    golive_dip: float = _p(0.25, "centre", "share", "Go-live dip",
                           "Productivity lost when the whole volume goes live at once.", 0, 0.9)
    dip_recovery_months: float = _p(6.0, "centre", "months", "Dip recovery",
                                    "Time constant of recovery from a go-live dip.", 0.5, 60)
    backlog_clear_months: float = _p(6.0, "centre", "months", "Backlog clearing time",
                                     "Months over which the centre plans to clear its backlog.",
                                     1, 60)
    learning_reference_months: float = _p(1.0, "centre", "months", "Learning reference volume",
                                          "Wright's law's first unit: the cumulative volume, in "
                                          "months of the centre's full volume, from which each "
                                          "doubling raises productivity by 1/progress ratio. "
                                          "Estimated jointly from Udbetaling Danmark's 2015 "
                                          "saving, ØSC's realised share in 2011 and Statens "
                                          "Administration's 2014 saving (docs/calibration.md): "
                                          "values up to about 1.2 fit all three.", 0.1, 60)
    normal_wait_weeks: float = _p(7.0, "centre", "weeks", "Normal processing time",
                                  "Weeks a case normally takes; service is this over the time a "
                                  "case takes now (Udbetaling Danmark's housing benefit: about "
                                  "seven weeks).", 0.5, 52)
    defect_error_rate: float = _p(0.02, "centre", "share", "System defects",
                                  "Share of cases with errors from defects in the new systems at "
                                  "the first go-live; fixed over calendar time by releases, not "
                                  "by staff learning (stated assumption; RR 15/2012: errors rose "
                                  "after the move).", 0, 0.5)
    defect_fix_months: float = _p(12.0, "centre", "months", "Defect fixing time",
                                  "Time constant over which system defects are fixed (stated "
                                  "assumption).", 0.5, 120)

    # --- failure, response and charging -------------------------------------------------------
    service_target: float = _p(0.9, "failure", "share", "Service target",
                               "Service level below which the centre counts as failing.", 0, 1)
    failure_response: Literal["none", "emergency_hiring", "rebaseline", "pause_rollout",
                              "all"] = _p(
        "all", "failure", "", "Response to failure",
        "What the centre and ministry do once it fails for the response delay: hire above the "
        "plan, re-baseline the plan to the productivity reached, pause the roll-out, all, or "
        "nothing.")
    response_delay_months: int = _p(3, "failure", "months", "Recognition delay",
                                    "Months of failure (or complaints) before it is recognised and "
                                    "the response starts (a quarter's reporting; stated "
                                    "assumption).", 1, 60, per_member=True)
    complaint_share_failing: float = _p(0.2, "failure", "share", "Complaints that mean failure",
                                        "Share of a centre's live institutions escalating "
                                        "complaints in a month that counts as failing (stated "
                                        "assumption).", 0.01, 1)
    emergency_staff_share: float = _p(0.25, "failure", "share", "Emergency staffing",
                                      "Staff the centre may hire above its budget while failing.",
                                      0, 2)
    emergency_release_months: float = _p(2.0, "failure", "months", "Emergency staff leave",
                                         "Time constant over which emergency staff (temps, "
                                         "overtime) go once the failure is over (stated "
                                         "assumption: month-to-month contracts).", 0.5, 24)
    emergency_cost_premium: float = _p(0.5, "failure", "share", "Emergency cost premium",
                                       "Extra cost of emergency staff (temps, overtime) on top of "
                                       "the cost of an FTE.", 0, 5)
    rebaseline_cost_mdkk: float = _p(2.0, "failure", "mio. kr.", "Re-baselining cost",
                                     "One-off cost of re-planning the business case.", 0, 1e4)
    staff_cut_lead_months: int = _p(0, "failure", "months", "Cut staff ahead of learning",
                                    "Political pressure: the staff budget assumes the planned "
                                    "productivity this many months early.", 0, 60)
    backlog_cost_share: float = _p(0.5, "failure", "× FTE cost", "Cost of late work",
                                   "Monthly cost of each FTE-month of work waiting, as a share "
                                   "of an FTE-month's cost (late payments, chasing, complaints; "
                                   "stated assumption).", 0, 10)
    delay_cost_cap_months: float = _p(3.0, "failure", "months", "Longest costly delay",
                                      "A waiting case costs its delay for at most this many "
                                      "months (then it is paid or chased no more; stated "
                                      "assumption): the cost of late work is bounded per case.",
                                      0.1, 60)
    takeback_share: float = _p(0.2, "failure", "share", "Work taken back when failing",
                               "Share of its moved work an institution does itself again when "
                               "its service falls a full tolerance below expectation (urgent "
                               "cases, workarounds); at its own staff's cost (stated "
                               "assumption).", 0, 1)
    error_rate_novice: float = _p(0.05, "failure", "share", "Errors while learning",
                                  "Share of cases with errors at the centre's start (falls as it "
                                  "learns).", 0, 0.5)
    error_rate_strain: float = _p(0.05, "failure", "share", "Errors under strain",
                                  "Extra share of cases with errors when service collapses.",
                                  0, 0.5)
    workaround_share: float = _p(0.5, "failure", "ratio", "Local workaround per error",
                                 "Local staff time spent on each erroneous case, relative to the "
                                 "case's work (double administration).", 0, 5)
    charging: Literal["none", "average_cost", "activity_based"] = _p(
        "average_cost", "failure", "", "Charging",
        "How institutions pay: not at all (central funding), an average price per case, or "
        "activity-based (each pays for the rework it causes).")
    unit_cost_spread: float = _p(0.25, "failure", "σ (log)", "Spread of own unit cost",
                                 "Lognormal sigma of institutions' own cost per case before the "
                                 "reform (efficient ones may pay more than before).", 0, 2,
                                 mid_run=False)
    charge_sensitivity: float = _p(1.0, "failure", "months/month", "Sensitivity to price",
                                   "Bad evidence per month for paying 100 % more than the "
                                   "institution's own former cost.", 0, 10)
    exit_trust_threshold: float = _p(0.2, "failure", "score", "Exit threshold",
                                     "Decision score (trust, price and loss of control) below "
                                     "which a live institution takes the task back (voluntary "
                                     "adoption; 0 = never).", 0, 1)
    exit_when_mandatory: bool = _p(False, "failure", "", "Exit under mandate",
                                   "Whether institutions can also leave a mandatory centre.")
    join_notice_months: int = _p(3, "rollout", "months", "Notice to join",
                                 "Voluntary adoption: months between a manager's decision to "
                                 "join and go-live (the centre hires for announced joiners).",
                                 0, 24, applies={"adoption": ("voluntary",)})

    # --- the programme owner ---------------------------------------------------------------
    programme_review: bool = _p(True, "programme", "", "Programme owner reviews",
                                "Whether a programme owner (ministry or KL board) pauses, "
                                "re-scopes or ends the programme when its thresholds are passed.")
    pause_complaint_share: float = _p(0.3, "programme", "share", "Pause at complaints",
                                      "Share of live institutions badly served (a full tolerance "
                                      "below expectation) for the recognition delay that pauses "
                                      "the roll-out (stated assumption).", 0.01, 1)
    rescope_overspend_years: float = _p(1.5, "programme", "years of budget", "Re-scope at loss",
                                        "Cumulative net loss, in years of the task's former "
                                        "budget, at which the owner drops the institutions still "
                                        "waiting (stated assumption).", 0.05, 20)
    end_exit_share: float = _p(0.4, "programme", "share", "End at exits",
                               "Share of institutions that have left at which the owner ends the "
                               "programme and every institution takes the task back (stated "
                               "assumption).", 0.01, 1)

    # --- digitalisation --------------------------------------------------------------------
    digital_gain_share: float = _p(0.3, "digital", "share", "Digitalisation gain",
                                   "Share of the remaining work removed by digitalisation when "
                                   "complete (KL: 50 %).", 0, 0.9)
    digital_early_share: float = _p(0.17, "digital", "share", "Available without rule changes",
                                    "Part of the digitalisation gain that needs no rule change "
                                    "(KL: 17 %).", 0, 1)
    digital_start_month: int = _p(36, "digital", "month", "Digitalisation starts",
                                  "Month the organisation's own digital preparation is done.",
                                  0, 600)
    digital_ramp_months: int = _p(12, "digital", "months", "IT roll-out time",
                                  "Months for new IT to reach full effect.", 1, 120)
    rule_changes: bool = _p(True, "digital", "", "State rule changes",
                            "Whether the state changes the rules that the larger part needs.")
    rule_change_delay_months: int = _p(24, "digital", "months", "Rule-change delay",
                                       "Months after the digital start until rule changes apply.",
                                       0, 600)

    # --- economics -------------------------------------------------------------------------
    fte_cost_mdkk: float = _p(0.48, "economics", "mio. kr./FTE/year", "Cost of one FTE",
                              "Annual cost of one full-time employee (KL: 480,000 kr.).", 0.05, 5)
    establishment_cost_mdkk: float = _p(20.0, "economics", "mio. kr.", "Establishment cost",
                                        "One-off cost of setting up the centre(s), spread over "
                                        "the preparation.", 0, 1e5)
    it_investment_mdkk: float = _p(30.0, "economics", "mio. kr.", "IT investment",
                                   "One-off IT investment, spread over the preparation.", 0, 1e5)
    it_running_cost_mdkk: float = _p(5.0, "economics", "mio. kr./year", "IT running cost",
                                     "Annual running cost of the common IT from the first "
                                     "go-live.", 0, 1e5)
    onboarding_cost_per_fte_mdkk: float = _p(0.05, "economics", "mio. kr./FTE", "Onboarding cost",
                                             "Training and transfer cost per FTE hired or "
                                             "transferred into a centre.", 0, 10)
    severance_cost_per_fte_mdkk: float = _p(0.1, "economics", "mio. kr./FTE", "Severance cost",
                                            "One-off cost per FTE made redundant.", 0, 10)
    dialogue_cost_mdkk: float = _p(3.0, "economics", "mio. kr./year", "Dialogue cost",
                                   "Annual cost of dialogue at full effort.", 0, 1e4)
    relocation_cost_mdkk: float = _p(0.0, "economics", "mio. kr.", "Relocation cost",
                                     "One-off cost of the relocation.", 0, 1e5)
    local_it_cost_mdkk: float = _p(0.0, "economics", "mio. kr./year", "Institutions' own IT cost",
                                   "Annual cost of the institutions' own systems and IT contracts "
                                   "for the task before the reform; each institution's share "
                                   "ends when it counts as served (its contracts run out over "
                                   "the notice period). Common IT replaces it (004, 3.4.2).",
                                   0, 1e5)

    # --- run -------------------------------------------------------------------------------
    months: int = _p(120, "run", "months", "Horizon", "Months to simulate.", 1, 600, mid_run=False)
    start_year: int = _p(2012, "run", "year", "Start year",
                         "Calendar year of the decision (month 1).", 1900, 2200, mid_run=False)

    @model_validator(mode="after")
    def _consistent(self) -> Params:
        if (
            self.institution_source == "dk_municipalities_2012"
            and self.n_institutions != N_MUNICIPALITIES
        ):
            raise ValueError(
                f"n_institutions={self.n_institutions} does not match "
                f"institution_source='dk_municipalities_2012', which has {N_MUNICIPALITIES} "
                f"municipalities: set n_institutions = {N_MUNICIPALITIES}"
            )
        return self


@dataclass(frozen=True)
class ParamSpec:
    """Everything a UI, CLI or sweep needs to know about one parameter."""

    name: str
    kind: Literal["int", "float", "bool", "choice"]
    default: Any
    minimum: float | None
    maximum: float | None
    choices: tuple[str, ...] | None
    unit: str
    group: str
    label: str
    description: str
    mid_run: bool = True
    #: The choices under which it has an effect: ((parameter, (choice, ...)), ...); empty:
    #: always (``_p(applies=...)``).
    applies: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Members of one ensemble pass may differ in it: every number, and whole numbers declared
    #: ``_p(per_member=True)`` (no array's shape or phase depends on them).
    per_member: bool = False

    def applies_to(self, values: Mapping[str, Any]) -> bool:
        """Whether this parameter has an effect under ``values`` (all parameters by name)."""
        return all(values.get(k) in allowed for k, allowed in self.applies)

    def describe_allowed(self) -> str:
        """Say in words what values are allowed."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices or ())
        if self.kind == "bool":
            return "true or false"
        kind = "a whole number" if self.kind == "int" else "a number"
        unit = f" ({self.unit})" if self.unit else ""
        return f"{kind} from {self.minimum:g} to {self.maximum:g}{unit}"


def _spec(name: str) -> ParamSpec:
    field = Params.model_fields[name]
    extra = field.json_schema_extra or {}
    lo = hi = None
    for m in field.metadata:
        lo = getattr(m, "ge", lo)
        hi = getattr(m, "le", hi)
    ann = field.annotation
    if ann is bool:
        kind, choices = "bool", None
    elif ann is int:
        kind, choices = "int", None
    elif ann is float:
        kind, choices = "float", None
    else:
        kind, choices = "choice", tuple(get_args(ann))
    return ParamSpec(
        name=name, kind=kind, default=field.default, minimum=lo, maximum=hi, choices=choices,
        unit=str(extra.get("unit", "")), group=str(extra.get("group", "")),
        label=str(extra.get("label", name)), description=field.description or "",
        mid_run=bool(extra.get("mid_run", True)),
        applies=tuple((k, tuple(v)) for k, v in dict(extra.get("applies") or {}).items()),
        per_member=kind == "float" or (kind == "int" and bool(extra.get("per_member", False))),
    )


_SPECS: dict[str, ParamSpec] | None = None


def spec_map() -> dict[str, ParamSpec]:
    """Return every parameter's spec by name (built once, on first use)."""
    global _SPECS
    if _SPECS is None:
        _SPECS = {name: _spec(name) for name in Params.model_fields}
    return _SPECS


def specs() -> list[ParamSpec]:
    """Return every parameter's spec, in definition order."""
    return list(spec_map().values())


def fixed_at_build() -> frozenset[str]:
    """The parameters a running model cannot change (declared ``mid_run=False``)."""
    return frozenset(s.name for s in specs() if not s.mid_run)


def defaults() -> dict[str, Any]:
    """Return the default value of every parameter."""
    return {s.name: s.default for s in specs()}


def _explain(err: dict[str, Any]) -> str:
    loc = err.get("loc") or ()
    name = str(loc[0]) if loc else ""
    smap = spec_map()
    if err.get("type") == "extra_forbidden":
        return unknown_name_message("parameter", name, smap)
    if name in smap:
        spec = smap[name]
        value = err.get("input")
        msg = str(err.get("msg", ""))
        if isinstance(value, int | float) and not isinstance(value, bool) and spec.kind in (
                "int", "float") and ("less than" in msg or "greater than" in msg):
            msg = "out of range"  # the allowed range follows
        return (f"parameter '{name}' = {shown(value)} is not allowed "
                f"({msg[:1].lower() + msg[1:]}); allowed: {spec.describe_allowed()}.")
    return str(err.get("msg", "")).removeprefix("Value error, ")


def _plain(value: Any) -> Any:
    """numpy scalars as the Python value of the same kind (np.int64 -> int, np.bool_ -> bool)."""
    return value.item() if isinstance(value, np.generic) else value


def make_params(values: Mapping[str, Any] | None = None, **more: Any) -> Params:
    """Validate a mapping of parameter values into :class:`Params`.

    Args:
        values: Parameter names to values; missing names take their defaults.
        **more: Further values (override ``values``).

    Returns:
        The validated parameters.

    Raises:
        ParameterError: naming each bad parameter, its value and what is allowed.
    """
    if values is not None and not isinstance(values, Mapping):
        raise ParameterError(f"parameter values must be a mapping of names to values (a dict), "
                             f"got {type(values).__name__} {shown(values)}")
    data = {**(values or {}), **more}
    for key in data:
        if not isinstance(key, str):
            raise ParameterError(f"parameter names must be text, got {shown(key)}")
    data = {k: _plain(v) for k, v in data.items()}
    try:
        return Params(**data)
    except ValidationError as exc:
        raise ParameterError("; ".join(_explain(e) for e in exc.errors())) from None


_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_FLOAT_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[+-]?(nan|inf|infinity)", re.IGNORECASE)


def parse_value(name: str, text: str) -> Any:
    """Parse a ``--set name=value`` (or points-file) text into the parameter's type.

    The text is read as a scenario file reads a value: a whole number for a whole-number
    parameter (``12``, not ``12.0`` or ``true``), a decimal number for a number (``0.9`` or
    ``1e-3``; not ``nan`` or ``inf``), ``true`` or ``false`` for a switch, the choice's text.

    Raises:
        ParameterError: for an unknown name or a value that is not of the right type.
    """
    smap = spec_map()
    if name not in smap:
        raise ParameterError(unknown_name_message("parameter", name, smap))
    spec = smap[name]
    text = text.strip()
    if spec.kind == "bool" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if spec.kind == "int" and _INT_TEXT.fullmatch(text) and len(text) <= 20:
        return int(text)
    if spec.kind == "float" and _FLOAT_TEXT.fullmatch(text):
        return float(text)
    if spec.kind == "choice":
        return text
    why = ""
    if spec.kind in ("int", "float") and _NOT_FINITE.fullmatch(text):
        why = " (not a finite number)"
    elif spec.kind == "int" and _FLOAT_TEXT.fullmatch(text):
        why = " (not a whole number)"
    raise ParameterError(
        f"parameter '{name}' = {shown(text)} is not allowed{why}; "
        f"allowed: {spec.describe_allowed()}."
    )
