"""The ORM models. (watch_progress is not imported here, as happens in real projects.)"""

from app.models.anime import Anime
from app.models.audit_log import AuditLog
from app.models.base import Base
from app.models.episode import Episode
from app.models.favorite import Favorite
from app.models.permission import Permission
from app.models.refresh_token import RefreshToken
from app.models.release import Release
from app.models.role import Role
from app.models.role_permission import RolePermission
from app.models.user import User
from app.models.user_role import UserRole

__all__ = [
    "Anime",
    "AuditLog",
    "Base",
    "Episode",
    "Favorite",
    "Permission",
    "RefreshToken",
    "Release",
    "Role",
    "RolePermission",
    "User",
    "UserRole",
]
