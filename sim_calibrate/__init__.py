"""Calibration: estimate the behavioural parameters from the evidence, with their uncertainty.

A calibration file (``calibration/*.toml``, :mod:`sim_calibrate.schema`) lists targets —
Danish figures and the pattern book's patterns, each a summary statistic of model output
(:mod:`sim_calibrate.statistics`) with an observed value or range, a tolerance, a source and
whether it is fitted or held out — and priors over plausible ranges. ``sim calibrate FILE``
(:mod:`sim_calibrate.cli`) runs ABC-SMC with pyabc (:mod:`sim_calibrate.runner`) on the sweep
engine's executors with a seeded sampler (:mod:`sim_calibrate.sampler`), and writes a posterior
with provenance (:mod:`sim_calibrate.posterior`) and a report (:mod:`sim_calibrate.report`).
:mod:`sim_calibrate.uncertainty` carries a posterior into runs and comparisons.

pyabc is an optional extra (``calibrate``); only the runner and the report import it.
"""
