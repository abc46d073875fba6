"""Many runs of the model at once: the members of an ensemble.

A *member* is one run: its parameters, its seed, its monthly series and its KPIs. Members that
share every parameter fixing the shape of the model's arrays (:func:`shape_key`) are stepped
together, as one model whose agent families hold their arrays with a leading member axis
(:meth:`sim.model.SharedServiceModel.ensemble`); each member gives exactly the result of its
single run (``sim.runner.simulate``), bit for bit. Members are taken ``chunk`` at a time, so
memory stays bounded for any number of members.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from sim.arguments import check_params, check_record, check_seeds, check_whole
from sim.errors import ParameterError
from sim.institutions import InstitutionTable
from sim.kpis import KPIs, compute_kpis
from sim.params import Params, spec_map

#: Members stepped in one pass by default: large enough that the per-month overhead is shared,
#: small enough that a pass's arrays stay in the processor's cache (benchmarks/bench_model.py).
CHUNK = 200
#: Most members one call takes (as many as the seed rule derives).
MAX_MEMBERS = 10_000_000


@dataclass(frozen=True)
class Member:
    """One finished member of an ensemble.

    Attributes:
        index: Its position among the members asked for.
        params: Its parameters.
        seed: Its seed.
        arrays: Its recorded monthly series (``month`` and ``sim.recorder.CORE`` at least).
        kpis: Its KPIs.
    """

    index: int
    params: Params
    seed: int
    arrays: dict[str, np.ndarray]
    kpis: KPIs


def shape_key(p: Params) -> tuple[object, ...]:
    """What members stepped together must share: every parameter not declared per member.

    Whole numbers (the population, the horizon, the waves, months of events), switches and
    choices set the shapes of the arrays or which phases run; numbers (``float`` parameters)
    and whole numbers that only count or compare (``ParamSpec.per_member``, such as the
    response delay) may differ from member to member.
    """
    return tuple(getattr(p, s.name) for s in spec_map().values() if not s.per_member)


def _check(params: Params | Sequence[Params], seeds: Sequence[int], record: Iterable[str] | None,
           chunk: int) -> tuple[list[Params], list[int], tuple[str, ...] | None, int]:
    seeds = check_seeds(seeds, high=MAX_MEMBERS)
    if isinstance(params, Params):
        plist = [check_params(params)] * len(seeds)
    elif isinstance(params, Sequence) and not isinstance(params, str | bytes):
        if len(params) != len(seeds):
            raise ParameterError(f"params has {len(params):,} entries for {len(seeds):,} seeds; "
                                 "allowed: one Params, or one per seed")
        checked: dict[int, Params] = {}
        plist = []
        for i, p in enumerate(params):
            if id(p) not in checked:  # the same object is validated once
                checked[id(p)] = check_params(p, f"params[{i}]")
            plist.append(p)
    else:
        plist = [check_params(params)]  # raises with the usual line
    return plist, seeds, check_record(record), check_whole(chunk, "chunk", 1)


def iter_members(params: Params | Sequence[Params], seeds: Sequence[int],
                 record: Iterable[str] | None = None, chunk: int = CHUNK,
                 institutions: InstitutionTable | None = None) -> Iterator[Member]:
    """Run members and yield them in the order asked for, ``chunk`` members at a time.

    Args:
        params: One :class:`~sim.params.Params` for every member, or one per seed.
        seeds: One seed per member.
        record: Monthly columns to keep beyond ``month`` and ``sim.recorder.CORE`` (None: all).
        chunk: Most members stepped in one pass (and held in memory at once).
        institutions: A team's own institutions (``sim.institutions``), the same for every
            member; each member's ``params`` must hold what the file fixes.

    Raises:
        sim.errors.ParameterError: a bad Params, seed, column name or chunk; ``params`` a
            list of another length than ``seeds``.
    """
    plist, seeds, record, chunk = _check(params, seeds, record, chunk)
    return _iterate(plist, seeds, record, chunk, institutions)


def _iterate(plist: list[Params], seeds: list[int], record: tuple[str, ...] | None,
             chunk: int, institutions: InstitutionTable | None) -> Iterator[Member]:
    from sim.model import SharedServiceModel  # sim.model imports this module's callers

    for start in range(0, len(seeds), chunk):
        stop = min(start + chunk, len(seeds))
        groups: dict[tuple[object, ...], list[int]] = {}
        for i in range(start, stop):
            groups.setdefault(shape_key(plist[i]), []).append(i)
        done: dict[int, Member] = {}
        for members in groups.values():
            model = SharedServiceModel.ensemble([plist[i] for i in members],
                                                [seeds[i] for i in members], record=record,
                                                institutions=institutions)
            model.run_model()
            for row, i in enumerate(members):
                arrays = model.recorder.arrays(row)
                done[i] = Member(i, plist[i], seeds[i], arrays, compute_kpis(arrays))
        for i in range(start, stop):
            yield done.pop(i)


def run_members(params: Params | Sequence[Params], seeds: Sequence[int],
                record: Iterable[str] | None = None, chunk: int = CHUNK,
                institutions: InstitutionTable | None = None) -> list[Member]:
    """Every member of :func:`iter_members`, as a list (in the order asked for)."""
    return list(iter_members(params, seeds, record, chunk, institutions))
