"""Demo data of votes and livelihood projects (filled in below)."""


def seed_votes(**kwargs) -> None:
    return None
