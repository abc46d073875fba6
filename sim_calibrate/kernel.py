"""The proposal kernel: one kernel density per parameter, reflected at the prior's bounds.

ABC-SMC perturbs the last generation's particles and weighs each accepted proposal by
*prior density / proposal density*. pyabc's default, one multivariate Gaussian kernel density
over all parameters, works for a handful of parameters; over twenty, with a few hundred
particles, the kernels around the particles barely overlap, the proposal density swings over
orders of magnitude from one proposal to the next, and so do the weights: the effective
sample size collapses (docs/calibration.md, "The proposal kernel").

:class:`ReflectedKernel` perturbs each parameter on its own: parameter *k* of a proposal is
drawn from the weighted one-dimensional kernel density of parameter *k* over the population
(its own ancestor, a Gaussian step of bandwidth ``h_k``), so the proposal density is the
product of smooth one-dimensional densities. A step that leaves the prior's range
``[low, high]`` is folded back in (the reflection method for bounded kernel densities,
Silverman 1986, *Density Estimation*, §2.10; Schuster 1985), and the density counts the
mirror images, so no proposal falls outside the priors and a particle near a bound is not
given a larger weight for it.

Bandwidth: ``h_k = sqrt(scaling) * silverman(ESS, 1) * sd_k``, with the weighted standard
deviation ``sd_k`` of parameter *k* and Silverman's rule of thumb for one dimension
(pyabc's ``silverman_rule_of_thumb``), as pyabc's own kernel uses it for the joint density.

The kernel draws from numpy's global generator, as pyabc's kernels do; the calibration's
sampler seeds it per particle (:mod:`sim_calibrate.sampler`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from pyabc.parameters import Parameter
from pyabc.transition import Transition
from pyabc.transition.multivariatenormal import silverman_rule_of_thumb

#: Mirror images counted on each side (bandwidths are far below a range's width, so the
#: terms beyond these are below numpy's resolution).
IMAGES = 3


class ReflectedKernel(Transition):
    """A product of one-dimensional Gaussian kernel densities, folded into the priors' ranges.

    Args:
        bounds: Each parameter's prior range ``(low, high)``.
        scaling: Multiplies each bandwidth's square (as pyabc's ``scaling`` does the
            covariance).
    """

    def __init__(self, bounds: Mapping[str, tuple[float, float]], scaling: float = 1.0) -> None:
        self.bounds = dict(bounds)
        self.scaling = scaling

    def fit(self, X: pd.DataFrame, w: np.ndarray) -> None:
        """Take the population's particles and weights; set each parameter's bandwidth."""
        names = list(X.columns)
        self._low = np.array([self.bounds[k][0] for k in names], dtype=float)
        self._width = np.array([self.bounds[k][1] - self.bounds[k][0] for k in names],
                               dtype=float)
        self._x = X.to_numpy(dtype=float) - self._low  # n × d, from each range's low end
        self._w = np.asarray(w, dtype=float)
        mean = self._w @ self._x
        sd = np.sqrt(self._w @ (self._x - mean) ** 2)
        factor = silverman_rule_of_thumb(1.0 / np.sum(self._w ** 2), 1)
        # A parameter with no spread left keeps a tiny bandwidth, never zero.
        self._h = np.maximum(np.sqrt(self.scaling) * factor * sd, 1e-9 * self._width)
        self._names = names
        self._range = np.arange(len(self._w))

    def rvs_single(self) -> Parameter:
        """One proposal: each parameter from its own ancestor, stepped, folded into range."""
        d = len(self._names)
        ancestors = np.random.choice(self._range, size=d, p=self._w)  # noqa: NPY002
        step = np.random.standard_normal(d) * self._h  # noqa: NPY002
        x = _fold(self._x[ancestors, np.arange(d)] + step, self._width)
        return Parameter(dict(zip(self._names, map(float, x + self._low), strict=True)))

    def pdf(self, x: Parameter | pd.Series | pd.DataFrame) -> float | np.ndarray:
        """The proposal density at one parameter set (a float) or at each row of a frame."""
        if isinstance(x, pd.DataFrame):
            values = x[self._names].to_numpy(dtype=float)
            return np.array([self._density(v) for v in values])
        return self._density(np.array([x[k] for k in self._names], dtype=float))

    def _density(self, values: np.ndarray) -> float:
        u = values - self._low
        if np.any(u < 0) or np.any(u > self._width):
            return 0.0
        shifts = 2.0 * self._width * np.arange(-IMAGES, IMAGES + 1)[:, None, None]  # k × 1 × 1
        h = self._h
        direct = (u - self._x - shifts) / h  # k × n × d
        mirror = (u + self._x - shifts) / h
        kernel = (np.exp(-0.5 * direct ** 2) + np.exp(-0.5 * mirror ** 2)).sum(axis=0)
        per_parameter = (self._w @ kernel) / (h * np.sqrt(2.0 * np.pi))
        return float(np.prod(per_parameter))


def _fold(x: np.ndarray, width: np.ndarray) -> np.ndarray:
    """Fold values into ``[0, width]`` by reflecting at both ends (period ``2 * width``)."""
    y = np.mod(x, 2.0 * width)
    return np.where(y > width, 2.0 * width - y, y)
