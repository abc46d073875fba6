"""How to cite the simulator and the libraries its results rest on.

One list (:data:`REFERENCES`) that the sweep and calibration reports print under "How to cite"
and that ``CITATION.cff`` at the project's root repeats for citation tools (a test checks that
every DOI here is there).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The project itself (as in ``CITATION.cff``).
PROJECT = ("Shared-service reform simulator (sharedsim), version {version}. Agent-based "
           "simulation of shared-service reforms in the public sector, built on Mesa. "
           "Cite with the git commit the provenance names.")


@dataclass(frozen=True)
class Reference:
    """A paper to cite for a library the results rest on."""

    library: str
    used_for: str
    text: str
    doi: str

    @property
    def url(self) -> str:
        return f"https://doi.org/{self.doi}"


REFERENCES: tuple[Reference, ...] = (
    Reference("Mesa", "the agent-based model's framework",
              "ter Hoeven, E., Kwakkel, J., Hess, V., Pike, T., Wang, B., rht, & Kazil, J. "
              "(2025). Mesa 3: Agent-based modeling with Python in 2025. Journal of Open "
              "Source Software, 10(107), 7668.", "10.21105/joss.07668"),
    Reference("SALib", "sampling designs and sensitivity indices (Sobol, Morris, LHS)",
              "Herman, J., & Usher, W. (2017). SALib: An open-source Python library for "
              "sensitivity analysis. Journal of Open Source Software, 2(9), 97.",
              "10.21105/joss.00097"),
    Reference("SALib", "sampling designs and sensitivity indices (Sobol, Morris, LHS)",
              "Iwanaga, T., Usher, W., & Herman, J. (2022). Toward SALib 2.0: Advancing the "
              "accessibility and interpretability of global sensitivity analyses. "
              "Socio-Environmental Systems Modelling, 4, 18155.", "10.18174/sesmo.18155"),
    Reference("EMA Workbench", "scenario discovery (PRIM, CART) and feature scoring",
              "Kwakkel, J. H. (2017). The Exploratory Modeling Workbench: An open source "
              "toolkit for exploratory modeling, scenario discovery, and (multi-objective) "
              "robust decision making. Environmental Modelling & Software, 96, 239-250.",
              "10.1016/j.envsoft.2017.06.054"),
    Reference("pyabc", "calibration (approximate Bayesian computation)",
              "Schälte, Y., Klinger, E., Alamoudi, E., & Hasenauer, J. (2022). pyABC: "
              "Efficient and robust easy-to-use approximate Bayesian computation. Journal of "
              "Open Source Software, 7(74), 4304.", "10.21105/joss.04304"),
    Reference("pyabc", "calibration (approximate Bayesian computation)",
              "Klinger, E., Rickert, D., & Hasenauer, J. (2018). pyABC: distributed, "
              "likelihood-free inference. Bioinformatics, 34(20), 3591-3593.",
              "10.1093/bioinformatics/bty361"),
)
