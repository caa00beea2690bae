"""``presidium.kept.KeptStore``: made once a key, the least recently used dropped past its size."""

from presidium.kept import KeptStore


def test_it_makes_a_thing_once_a_key_and_drops_the_least_recently_used():
    made = []

    def maker(value):
        def make():
            made.append(value)
            return value * 10
        return make

    store = KeptStore(2)
    assert store.get("a", maker(1)) == 10 and store.get("a", maker(99)) == 10
    assert store.get("b", maker(2)) == 20
    store.get("a", maker(99))  # "a" used again: "b" is now the least recently used
    assert store.get("c", maker(3)) == 30
    assert store.get("a", maker(99)) == 10  # still kept
    assert store.get("b", maker(4)) == 40  # dropped, made anew
    assert made == [1, 2, 3, 4]
    store.clear()
    assert store.get("a", maker(5)) == 50 and made[-1] == 5


def test_peek_marks_a_kept_thing_used_and_put_keeps_one_made_elsewhere():
    store = KeptStore(2)
    assert store.peek("a", "none") == "none"
    store.put("a", 1)
    store.put("b", 2)
    assert store.peek("a") == 1  # "b" is now the least recently used
    store.put("c", 3)
    assert list(store) == ["a", "c"] and store.items() == [("a", 1), ("c", 3)]
    store.put("a", 10)  # replaced, and the most recently used
    store.put("d", 4)
    assert dict(store.items()) == {"a": 10, "d": 4}
