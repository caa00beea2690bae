from evaluations.models.units import *  # noqa: F401,F403 - e-units: evaluating units
