"""Application settings, read from the environment at import time (as real apps do).

`alembic/env.py` imports this module, so running Alembic needs DATABASE_URL set. schemaudit
replays the migrations without running env.py, so it needs none of this.
"""

import os


class Settings:
    def __init__(self) -> None:
        url = os.environ.get("DATABASE_URL")
        if not url:
            raise RuntimeError("DATABASE_URL is not set")
        self.database_url = url


settings = Settings()
