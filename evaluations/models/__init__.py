from evaluations.models.scorecards import *  # noqa: F403 - one import line per branch
