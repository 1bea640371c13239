from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, LockMixin, OwnershipMixin, SoftDeleteMixin, TimestampMixin, UUIDPrimaryKey


class Anime(UUIDPrimaryKey, OwnershipMixin, LockMixin, SoftDeleteMixin, TimestampMixin, Base):
    __tablename__ = "anime"

    title: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    title_ru: Mapped[str | None] = mapped_column(String(255))
    title_en: Mapped[str | None] = mapped_column(String(255))
    title_original: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    poster_url: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    season: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str | None] = mapped_column(String(64))
    genres: Mapped[list[Any] | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(50), nullable=False, default="draft", server_default="draft", index=True)
