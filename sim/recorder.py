"""Monthly time series, recorded into a preallocated numpy array (no pandas in the step)."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Recorded columns, in order; units and meanings are listed in docs/api.md.
COLUMNS: tuple[str, ...] = (
    "month", "year", "n_waiting", "n_transition", "n_served", "share_served",
    "local_fte", "shadow_fte", "centre_fte", "total_fte",
    "hires_fte", "leavers_fte", "transfers_fte",
    "demand", "processed", "backlog", "productivity", "work_per_fte", "service_level",
    "trust_mean", "trust_p10", "trust_p90", "digital_reduction",
    "baseline_cost", "running_cost", "realised_gain", "potential_gain",
    "one_off_cost", "cumulative_net_benefit",
)
_INDEX = {name: i for i, name in enumerate(COLUMNS)}
_INT_COLUMNS = ("month", "n_waiting", "n_transition", "n_served")


class Recorder:
    """Holds one row per simulated month."""

    def __init__(self, months: int) -> None:
        """Allocate room for ``months`` rows."""
        self.data = np.full((months, len(COLUMNS)), np.nan)
        self.rows = 0

    def record(self, values: dict[str, float]) -> None:
        """Append one month; ``values`` must name every column."""
        row = self.data[self.rows]
        for name, value in values.items():
            row[_INDEX[name]] = value
        self.rows += 1

    def column(self, name: str) -> np.ndarray:
        """One column over the months recorded so far (a view, do not modify)."""
        return self.data[: self.rows, _INDEX[name]]

    def arrays(self) -> dict[str, np.ndarray]:
        """Every column over the months recorded so far (copies)."""
        block = self.data[: self.rows]
        return {name: block[:, i].copy() for i, name in enumerate(COLUMNS)}

    def frame(self) -> pd.DataFrame:
        """The months recorded so far as a DataFrame, one row per month."""
        return to_frame(self.arrays())


def to_frame(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """Turn recorded arrays into a DataFrame with integer count columns."""
    df = pd.DataFrame(arrays)
    for name in _INT_COLUMNS:
        if name in df:
            df[name] = df[name].astype("int64")
    return df
