"""Demo data for county scorecards (filled in below)."""


def seed_scorecards(*, scale: int = 1, stdout=None) -> None:
    return None
