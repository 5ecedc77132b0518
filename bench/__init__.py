"""Byline benchmarks: run with ``python -m bench`` (see bench/__main__.py); not part of the tests."""
