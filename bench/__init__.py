"""`make bench`: overhead of the sdkcore runtime (and the ClawOps SDK on it) vs raw HTTP clients.

Every server runs in its own process so client and server never share a GIL; each row times
the same workload for every contender over interleaved rounds and reports medians. Results are
printed and written to ``bench/results.json`` and ``bench/results.md``.
"""
