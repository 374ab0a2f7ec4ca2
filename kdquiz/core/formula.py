"""Safe arithmetic for numeric question templates.

A template's ``formula`` is an expression over its parameters, such as
``softmax(0, z0 / T, z1 / T, z2 / T)``. It is parsed with :mod:`ast` and only numbers, parameter
names, arithmetic operators and the functions below are allowed, so content can never run code.
"""

from __future__ import annotations

import ast
import functools
import math
import operator
from collections.abc import Callable, Mapping


def _softmax(k: float, *logits: float) -> float:
    """Probability of entry ``k`` under softmax(logits), computed stably."""
    index = int(k)
    if not logits or not 0 <= index < len(logits):
        raise ValueError("softmax(k, x0, x1, ...) needs 0 <= k < number of logits")
    top = max(logits)
    exps = [math.exp(x - top) for x in logits]
    return exps[index] / sum(exps)


def _sum(*values: float) -> float:
    return float(sum(values))


FUNCTIONS: dict[str, Callable[..., float]] = {
    "exp": math.exp,
    "log": math.log,
    "log2": math.log2,
    "sqrt": math.sqrt,
    "abs": abs,
    "min": min,
    "max": max,
    "sum": _sum,
    "softmax": _softmax,
}
CONSTANTS = {"pi": math.pi, "e": math.e}

_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type, Callable[[float], float]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}


class FormulaError(ValueError):
    """The formula is not allowed or cannot be evaluated."""


def names_in(formula: str) -> set[str]:
    """Parameter names a formula uses (functions and constants excluded); raises FormulaError."""
    tree = _parse(formula)
    return {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS and node.id not in CONSTANTS
    }


@functools.lru_cache(maxsize=4096)
def _parse(formula: str) -> ast.Expression:
    """The checked syntax tree of a formula (cached: validation and every draw reuse it; the
    tree is never modified)."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"formula is not an expression: {exc.msg}") from None
    for node in ast.walk(tree):
        allowed = (
            ast.Expression,
            ast.BinOp,
            ast.UnaryOp,
            ast.Call,
            ast.Name,
            ast.Constant,
            ast.Load,
            *_BINARY,
            *_UNARY,
        )
        if not isinstance(node, allowed):
            raise FormulaError(f"formula may not contain {type(node).__name__}")
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS and not node.keywords
        ):
            raise FormulaError("formula may only call " + ", ".join(sorted(FUNCTIONS)))
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaError("formula constants must be numbers")
    return tree


def evaluate(formula: str, params: Mapping[str, float]) -> float:
    """Evaluate ``formula`` with ``params``; raises FormulaError on anything not allowed."""
    tree = _parse(formula)

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return float(node.value)  # type: ignore[arg-type]  # _parse allows numbers only
        if isinstance(node, ast.Name):
            if node.id in params:
                return float(params[node.id])
            if node.id in CONSTANTS:
                return CONSTANTS[node.id]
            raise FormulaError(f"unknown name {node.id!r} in formula")
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](ev(node.operand))
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            return float(FUNCTIONS[node.func.id](*(ev(arg) for arg in node.args)))
        raise FormulaError(f"formula may not contain {type(node).__name__}")

    try:
        return ev(tree)
    except (ArithmeticError, ValueError) as exc:
        if isinstance(exc, FormulaError):
            raise
        raise FormulaError(f"formula cannot be evaluated: {exc}") from None
