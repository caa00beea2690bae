"""A process's bounded store of things made once under a key: the least recently used are dropped first.

For what a key names completely: the home cards' and lists' kept SQL (``presidium.home_cards``), the deputies
lists' option rows under their tables' stamp (``presidium/choice_rows.py``), a list's filter card
(``presidium.templatetags.portal.filter_card``). The key must hold everything the kept thing depends on, so that an
entry is never wrong, only unused."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
_MISSING = object()


class KeptStore(Generic[T]):
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: Hashable, default=None):
        """What is kept under ``key`` (now the most recently used), else ``default``."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return default

    def put(self, key: Hashable, value: T) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """What ``make()`` returned for ``key``, made now (outside the lock: a query, a render) if not kept."""
        kept = self.peek(key, _MISSING)
        if kept is not _MISSING:
            return kept
        made = make()
        self.put(key, made)
        return made

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __iter__(self):
        """The keys kept now (a copy: for tests)."""
        with self._lock:
            return iter(list(self._items))

    def items(self) -> list:
        with self._lock:
            return list(self._items.items())
