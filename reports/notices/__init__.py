"""Public notices (公示) of a round's approved results: publishing and withdrawing them
(``services``), what they show (``selectors``) and the administrators' form (``forms``).

A notice lists only approved assessments that have a scorecard, read when it is shown,
and nothing personal: community names, their city and district, totals and grades.
"""
