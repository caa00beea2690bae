"""Evaluating units (工作评议 / 综合评议): campaigns, scoring schemes, anonymous ballots, results, rectification."""
