"""anime-catalog: a small catalogue app (users, anime, releases, episodes, roles, audit logs)."""
