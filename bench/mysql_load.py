"""`python -m bench.mysql_load N [--repeat K]`: how long `sources.load()` takes on a MariaDB
or MySQL database of N tables, each with a primary key, a foreign key to the one before, a
unique key, a DESC index and a CHECK (the shape of tests/test_mysql_live.py's query count).

Prints the median and every sample. The database (`schemaudit_bench_my_*`) is created on
`--url` and dropped afterwards. Compare two checkouts by running this from each.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

DEFAULT_URL = "mysql+pymysql://root@127.0.0.1:3306"


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.mysql_load", description=__doc__.splitlines()[0])
    p.add_argument("size", type=int)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--url", default=DEFAULT_URL, help="server URL without a database (root@127.0.0.1:3306)")
    args = p.parse_args()
    import pymysql

    from schemaudit.sources import load
    from schemaudit.sources.urls import parse_db_url

    url = parse_db_url(args.url)
    name = f"schemaudit_bench_my_{uuid.uuid4().hex[:8]}"
    admin = pymysql.connect(
        host=url.host or "127.0.0.1", port=url.port or 3306, user=url.username, password=url.password or "",
        autocommit=True,
    )  # fmt: skip
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}`")
            cur.execute(f"USE `{name}`")
            for i in range(args.size):
                fk = f", CONSTRAINT fk_{i} FOREIGN KEY (parent_id) REFERENCES t{i - 1:05d} (id)" if i else ""
                cur.execute(
                    f"CREATE TABLE t{i:05d} (id INT PRIMARY KEY AUTO_INCREMENT, parent_id INT, code VARCHAR(9), "
                    f"n INT DEFAULT 0 CHECK (n >= 0), UNIQUE KEY uq_{i} (code), KEY ix_{i} (n DESC){fk})"
                )
        samples = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            schema = load(f"{args.url.rstrip('/')}/{name}")
            samples.append(time.perf_counter() - started)
        print(
            f"{len(schema.tables)} tables: median {statistics.median(samples):.2f} s of {args.repeat} "
            f"({', '.join(f'{s:.2f}' for s in samples)})"
        )
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


if __name__ == "__main__":
    main()
