"""No hidden numbers in the model's rules.

Every number in a rule module is a parameter (``sim/params.py``, with its source or "stated
assumption"), a named constant documented where it is defined (an UPPER_CASE module-level
name with a ``#:`` comment giving its source or reason), or one of the few kinds of literal
that carry no assumption, listed here with the reason. A new bare number in a rule fails this
test until it is given a name and a reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The modules that hold the model's rules.
RULE_MODULES = sorted([*(ROOT / "sim/agents").glob("*.py"),
                       *(ROOT / "sim" / name for name in (
                           "model.py", "economics.py", "ledger.py", "digitalisation.py",
                           "rollout.py", "population.py", "network.py", "units.py"))])

#: Literals that carry no assumption: 0 and 1 (nothing and all: shares, identities, clipping
#: bounds, first-order delays ``1 − exp(−1/τ)``), −1 (the same, negated), and 2 (the
#: arithmetic mean of two terms; the ``n(n−1)/2`` ties of a complete network; a network needs
#: two managers for a tie).
NEUTRAL = {0, 1, -1, 2}
#: Numerical guards against division by zero or log of zero: far below any quantity the model
#: computes (staff, work and money are ≥ 1e-3 whenever they matter).
GUARD = 1e-3


def _named_constant_values(tree: ast.Module, lines: list[str]) -> set[int]:
    """ids of the literal nodes inside documented UPPER_CASE module-level assignments."""
    ok: set[int] = set()
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        names = []
        for t in targets:
            names += [e.id for e in (t.elts if isinstance(t, ast.Tuple) else [t])
                      if isinstance(e, ast.Name)]
        if names and all(n.isupper() for n in names):
            documented = lines[node.lineno - 2].strip().startswith("#:") or len(names) > 1
            if documented:
                ok |= {id(n) for n in ast.walk(node)}
    return ok


def _subscript_indices(tree: ast.Module) -> set[int]:
    return {id(n) for s in ast.walk(tree) if isinstance(s, ast.Subscript)
            for n in ast.walk(s.slice)}


def unexplained(path: Path) -> list[str]:
    """Bare numbers in a rule module that are neither neutral, guards, indices nor named."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    lines = text.splitlines()
    named = _named_constant_values(tree, lines)
    indices = _subscript_indices(tree)
    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, int | float)
                and not isinstance(node.value, bool)):
            continue
        v = node.value
        if v in NEUTRAL or abs(v) <= GUARD or id(node) in named or id(node) in indices:
            continue
        bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {v!r}")
    return bad


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: p.name)
def test_every_number_in_a_rule_is_a_parameter_or_a_named_constant(path):
    assert unexplained(path) == []


def test_the_check_finds_a_bare_number(tmp_path):
    rule = tmp_path / "rule.py"
    rule.write_text("#: a documented constant\nLIMIT = 0.95\n\ndef f(x):\n"
                    "    return min(x, 0.95) * LIMIT + 1e-12\n", encoding="utf-8")
    assert [line.split(": ")[-1] for line in _relative(unexplained, rule, tmp_path)] == ["0.95"]


def _relative(fn, path, root):
    global ROOT
    saved, ROOT = ROOT, root
    try:
        return fn(path)
    finally:
        ROOT = saved
