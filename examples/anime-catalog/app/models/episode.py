import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, LockMixin, OwnershipMixin, SoftDeleteMixin, TimestampMixin, UUIDPrimaryKey


class Episode(UUIDPrimaryKey, OwnershipMixin, LockMixin, SoftDeleteMixin, TimestampMixin, Base):
    __tablename__ = "episodes"

    release_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str | None] = mapped_column(String(255))
    iframe_url: Mapped[str | None] = mapped_column(Text)
    available_translations: Mapped[list[Any] | None] = mapped_column(JSON)
    available_qualities: Mapped[list[Any] | None] = mapped_column(JSON)
