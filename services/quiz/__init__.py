"""The interest quiz: its questions from a data file (bank.py), how answers score, the results
kept with consent (results.py) and what a result recommends (recommend.py)."""
