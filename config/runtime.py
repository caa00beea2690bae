"""The web process's garbage collector, set once the application is loaded (``config/wsgi.py``).

A county page builds hundreds of thousands of short-lived objects (querysets, compiled SQL, template nodes).
With CPython's default first-generation threshold (700 allocations) the collector runs hundreds of times a
request, and every few dozen heavy requests a full collection walks the ~200,000 objects that Django and the
apps made at start-up and will keep for the process's life: a pause of 100–250 ms inside whichever request
happened to trigger it (docs/performance.md, "Eighth round"). So, once loaded:

* ``gc.freeze()`` moves everything alive at start-up into the permanent generation, which no collection walks;
* the first generation is collected every ``GEN0_THRESHOLD`` allocations instead of 700, and the older ones
  less often: reference cycles are still collected, a few times a request rather than hundreds.

Without ``--preload`` each gunicorn worker loads the application, and so freezes, on its own.
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 50_000
GEN1_THRESHOLD = 20
GEN2_THRESHOLD = 100


def tune_collector() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, GEN1_THRESHOLD, GEN2_THRESHOLD)
