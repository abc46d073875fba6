"""Print the calibration tables of docs/calibration.md: ``python -m tests.calibration.report``."""

from __future__ import annotations

from sim.economics import potential_gain
from sim.params import make_params
from tests.calibration import measure as m
from tests.calibration import patterns as pb


def _row(what: str, target: str, source: str, s: dict[str, float], tol: str, fmt: str) -> str:
    res = f"{s['median']:{fmt}} ({s['p10']:{fmt}}–{s['p90']:{fmt}})"
    return f"| {what} | {target} | {source} | {res} | {tol} |"


HEAD = ("| figure | target | source | model: median (10–90 %) | tolerance |\n"
        "|---|---|---|---|---|")


def main() -> None:
    """Print every table."""
    print(f"Seeds: {m.N_SEEDS} from SeedSequence({m.CALIBRATION_ENTROPY}).\n")
    sa = m.runs("statens_administration")
    print("### Statens Administration\n" + HEAD)
    print(_row("work per centre FTE, 2014 (× before)", "1.5", "000, box 1.4",
               m.over_seeds(sa, m.sa_efficiency_2014), "±15 %", ".2f"))
    print(_row("annual saving, 2014 (mio. kr.)", "175", "000, box 1.4",
               m.over_seeds(sa, m.sa_saving_2014), "±15 %", ".0f"))
    udk = m.runs("udbetaling_danmark")
    print("\n### Udbetaling Danmark\n" + HEAD)
    print(_row("annual saving, 2015 (mio. kr.)", "300", "000, box 1.1",
               m.over_seeds(udk, m.udk_saving_2015), "±15 %", ".0f"))
    print(_row("mean gain, first 12 months after go-live (mio. kr./yr)", "< 0 (not at go-live)",
               "000, box 1.1", m.over_seeds(udk, m.udk_first_year_gain), "sign", ".0f"))
    print(_row("months from go-live to 2/3 of the 2015 gain", "24–36", "000, box 1.1",
               m.over_seeds(udk, m.udk_months_to_two_thirds), "18–42", ".0f"))
    print("\n### KL models (long-run gain: mean of the last 12 months of 2011–2022)\n" + HEAD)
    for model, ranges in m.KL_RANGES.items():
        for rc, (lo, hi) in ranges.items():
            label = "with rule changes" if rc else "current rules"
            rs = m.runs(model, {"rule_changes": rc})
            print(_row(f"{model}, {label}: long-run gain (mio. kr./yr)", f"{lo:.0f}–{hi:.0f}",
                       "004, 4.4", m.over_seeds(rs, m.long_run_gain), "inside range", ".0f"))
    print("\n### KL timeline (digitalisation switched off to isolate the scale gain)\n" + HEAD)
    for model in m.KL_RANGES:
        rs = m.runs(model, {"rule_changes": False, "digital_gain_share": 0.0})
        print(_row(f"{model}: months from go-live until centre staff settle (±5 %)", "≈ 24",
                   "004, 4.1.7", m.over_seeds(rs, m.months_to_centre_staff_settled),
                   "≤ 33 (≥ 12 where s > 0)", ".0f"))
        print(_row(f"{model}: largest gain before go-live (mio. kr./yr)", "≤ 0", "004, 4.1.7",
                   m.over_seeds(m.runs(model, {"rule_changes": False}),
                                m.max_gain_in_preparation), "exact", ".1f"))
    print("\n### The audit office's evidence (domain.md)\n" + HEAD)
    oe = m.runs("oesc_payroll")
    print(_row("ØSC: realised saving 2011 / business case", "≤ 0.69", "RR 15/2012",
               m.over_seeds(oe, m.oesc_realised_share_2011), "0.20–0.70", ".2f"))
    print(_row("ØSC: error rate, first year after go-live / 2011", "errors rose", "RR 15/2012",
               m.over_seeds(oe, m.oesc_errors_first_year_over_later), "> 3", ".0f"))
    print(_row("ØSC: double work in 2011 (shadow + workaround FTE)", "present", "RR 15/2012",
               m.over_seeds(oe, m.oesc_double_work_2011), "> 3 % of staff", ".0f"))
    print(_row("Statens Administration: shadow FTE in 2018", "present", "RR 14/2018",
               m.over_seeds(m.runs("statens_administration"), m.sa_double_work_2018),
               "> 2 % of staff", ".0f"))
    print(_row("relocation, 1 in 4 moves: months of production below the year before",
               "several years", "RR 18/2017",
               m.over_seeds(m.runs("statens_administration", m.SA_QUARTER_MOVE),
                            m.sa_months_production_below_before_move), "≥ 24", ".0f"))
    hb = m.runs("udbetaling_danmark", m.UDK_HOUSING_CHANGE)
    print(_row("housing-benefit change: extra waiting time (weeks)", "≈ 3 (7 → 10)",
               "UDK reporting", m.over_seeds(hb, m.udk_wait_rise_weeks), "2–4.5 (estimated)",
               ".1f"))
    print(_row("housing-benefit change: months to recover", "≈ 6", "UDK reporting",
               m.over_seeds(hb, m.udk_months_to_recover), "4–10", ".0f"))
    print(_row("UDK: highest price / own former cost, 2015", "≈ 1.4", "UDK reporting",
               m.over_seeds(udk, m.udk_highest_price_ratio_2015), "1.2–1.7 (estimated)", ".2f"))
    print(_row("UDK: share of municipalities paying more, 2015", "some", "UDK reporting",
               m.over_seeds(udk, m.udk_share_paying_more_2015), "0–0.5", ".2f"))
    print(_row("Statens It: realised share of the planned gain at the end", "< 0.5",
               "RR 21/2019", m.over_seeds(m.runs("statens_it"), m.statens_it_realised_share_end),
               "< 0.5", ".2f"))
    print("\n### The pattern book over plausible behaviour\n")
    print(f"{pb.N_DRAWS} Latin-hypercube draws per realistic scenario ({len(pb.REALISTIC)} "
          f"scenarios, {pb.HORIZON} months each).\n")
    print("| pattern | figure | model |\n|---|---|---|")
    for name, stats in (("P1", pb.p1()), ("P2", pb.p2()), ("P3", pb.p3())):
        for key, value in stats.items():
            if key != "runs":
                print(f"| {name} | {key} | {value:.3g} |")
    print("\n### KL min/max mapped to parameters: business-case potential (mio. kr./yr)\n")
    print("| model | set | scale_gain_share | own IT cost | potential, current rules |"
          " potential, rule changes | KL current | KL rule changes |\n|---|---|---|---|---|---|---|---|")
    sets = {"kl_model_1a": [("min", 0.065, 51.6), ("max", 0.288, 86.6)],
            "kl_model_1b": [("min", 0.0, 51.6), ("max", 0.2, 87.6)],
            "kl_model_2": [("min", 0.0, 69.0), ("max", 0.0, 98.0)]}
    for model, rows in sets.items():
        for k, (label, s, it) in enumerate(rows):
            base = m.params(model).model_dump()
            out = []
            for rc in (False, True):
                p = make_params({**base, "scale_gain_share": s, "local_it_cost_mdkk": it,
                                 "rule_changes": rc, "dialogue_effort": 0.0})
                moved = p.baseline_fte_total * (1 - p.local_share)
                out.append(potential_gain(p, moved, p.baseline_fte_total * p.local_share))
            kl = [m.KL_RANGES[model][rc][k] for rc in (False, True)]
            print(f"| {model} | {label} | {s} | {it} | {out[0]:.0f} | {out[1]:.0f} |"
                  f" {kl[0]:.0f} | {kl[1]:.0f} |")


if __name__ == "__main__":
    main()
