"""The staff and unit-liaison screens of the petitions app (信访): ledger, register, item page, steps, figures."""
