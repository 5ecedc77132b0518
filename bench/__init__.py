"""Byline benchmarks: run with ``python -m bench`` (see bench/__main__.py); not part of the tests.

``bot.analysis`` is imported first so this process runs under the engine's own thread policy
(single-threaded OpenBLAS, set before numpy loads), for the baseline and the engine alike.
"""

import bot.analysis  # noqa: F401
