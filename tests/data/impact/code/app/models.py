from sqlalchemy import Column, ForeignKey, String, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(String, primary_key=True)
    username = Column(String, nullable=False, unique=True)


class Run(Base):
    __tablename__ = "runs"
    id = Column(String, primary_key=True)
    mode = Column("mode", Text, nullable=False)
    model = Column(Text)
    meta_json = Column(Text, nullable=False, default="{}")
    project_id = Column(String, ForeignKey("projects.id"), nullable=False)
