"""What the public petitions package plugs into the deputies app (called from its ``AppConfig.ready()``)."""

from __future__ import annotations


def register() -> None:
    pass
