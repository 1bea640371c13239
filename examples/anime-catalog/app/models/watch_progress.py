"""Watch progress. Not imported by app/models/__init__.py: it must still be audited."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, UniqueConstraint, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UUIDPrimaryKey


class WatchProgress(UUIDPrimaryKey, Base):
    __tablename__ = "watch_progress"
    __table_args__ = (UniqueConstraint("user_id", "anime_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    anime_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("anime.id", ondelete="CASCADE"), index=True)
    episode: Mapped[int] = mapped_column(Integer, nullable=False)
    position_seconds: Mapped[int | None] = mapped_column(Integer)
    progress_percent: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    last_watched_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
