import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, validates

Base = declarative_base()


class Owner(Base):
    __tablename__ = "owner"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(200), nullable=False, unique=True)


class Pet(Base):
    __tablename__ = "pet"
    __table_args__ = (sa.Index("ix_pet_name", sa.text("name DESC")),)
    id = sa.Column(sa.Integer, primary_key=True)
    owner_id = sa.Column(sa.Integer, sa.ForeignKey("owner.id", ondelete="CASCADE"), nullable=False)
    name = sa.Column(sa.String(50), nullable=False)
    kind = sa.Column(sa.Enum("cat", "dog", name="pet_kind"), nullable=False)

    @validates("kind")
    def check(self, key, value):
        if value not in ("cat", "dog"):
            raise ValueError(value)
        return value
