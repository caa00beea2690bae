"""The evaluations app's access-matrix cases: each branch lists its URLs in ``access_cases_<branch>.py``
(a module-level ``CASES`` list), collected here for ``tests/test_access_matrix.py``."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def _collect() -> list:
    cases = []
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("access_cases_"):
            cases.extend(importlib.import_module(f"{__package__}.{module.name}").CASES)
    return cases


CASES = _collect()
