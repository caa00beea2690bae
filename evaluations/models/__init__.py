from evaluations.models.scorecards import *  # noqa: F403 - one import line per branch
from evaluations.models.units import *  # noqa: F401,F403 - e-units: evaluating units
