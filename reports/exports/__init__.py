"""Result exports as Excel or CSV files: the ranking table and the indicator-score matrix.

``tables`` says what a file holds (built from the ranking's selector, so it holds what the
page shows), ``writers`` writes it, ``services`` runs the large ones as jobs.
"""
