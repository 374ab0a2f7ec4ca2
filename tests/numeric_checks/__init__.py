"""Independent torch recomputations of every numeric question's answer, one module per topic.

Each module defines ``CHECKS: dict[str, Callable[[dict[str, float]], float]]`` mapping a numeric
question id to a function that recomputes the answer with torch from the question's params (an
empty dict for fixed questions). ``tests/test_bank_numeric.py`` requires one for every numeric
question, so a wrong number cannot ship.
"""
