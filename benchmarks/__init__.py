"""Benchmarks and robustness runs (``make bench``, ``make stress``); not part of ``make test``."""
