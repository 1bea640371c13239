"""The convergence corpus: (current, desired) DDL pairs, and the harness that proves plans.

Each `*.sql` file under `common/` (portable SQL, run on every dialect) or `<dialect>/` holds
one pair; see `harness.py` for the format and for what "converged" is checked to mean.
"""
