"""A process's bounded store of things made once under a key: the least recently used are dropped first.

For what a key names completely (the deputies lists' option rows under their tables' stamp,
``deputies/choice_rows.py``; a list's filter card, ``presidium.templatetags.portal.filter_card``): the key must hold
everything the kept thing depends on, so that an entry is never wrong, only unused."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class KeptStore(Generic[T]):
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """What ``make()`` returned for ``key``, made now if this process has not kept it."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        made = make()  # outside the lock: a query or a template render
        with self._lock:
            self._items[key] = made
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
