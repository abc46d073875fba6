"""Small calibration files for the tests: Ø SC's five-year scenario (cheap runs), two priors."""

from __future__ import annotations

from pathlib import Path

#: Two priors and two fitted targets (one per prior) plus a held-out check.
SMALL = '''
name = "small"
seed = {seed}
[abc]
population_size = {pop}
generations = {gens}
predictive_draws = 10

[priors.progress_ratio]
range = [0.85, 0.95]
why = "Wright's law for clerical work"

[priors.golive_dip]
range = [0.1, 0.4]
why = "KL names a temporary loss but no size"

[[targets]]
name = "share_2011"
scenario = "oesc_payroll"
statistic = "year_mean_over_potential"
column = "realised_gain"
year = 2011
{share}
tolerance = {share_tol}
source = "RR 15/2012"
use = "fit"

[[targets]]
name = "min_service"
scenario = "oesc_payroll"
statistic = "transition_min_service"
{service}
tolerance = {service_tol}
source = "P3"
use = "fit"

[[targets]]
name = "errors_first_year"
scenario = "oesc_payroll"
statistic = "first_year_over_year"
column = "error_rate"
year = 2011
range = [3, 1000]
tolerance = 1
source = "RR 15/2012"
use = "check"
'''


def small_file(folder: Path, seed: int = 5, pop: int = 20, gens: int = 3,
               share: str = "range = [0.2, 0.69]", service: str = "range = [0.5, 1.0]",
               share_tol: float = 0.1, service_tol: float = 0.1) -> Path:
    """Write a small calibration file into ``folder``; return its path."""
    path = folder / "small.toml"
    path.write_text(SMALL.format(seed=seed, pop=pop, gens=gens, share=share, service=service,
                                 share_tol=share_tol, service_tol=service_tol))
    return path
