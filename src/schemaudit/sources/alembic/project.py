"""An Alembic project as `schemaudit check` finds it: the ini file, the models `env.py`
compares against (`target_metadata`), and the database the project runs on.

`env.py` is read, never run: it usually needs the app's settings, secrets and a live
database. Its syntax tree says where `target_metadata` comes from (`from app.models import
Base` ... `target_metadata = Base.metadata` is `models:app.models:Base`). The dialect comes
from `sqlalchemy.url` in the ini file when it is a real URL, else from a database URL
written in `env.py`, else from `render_as_batch=True` (Alembic's mode for SQLite). What
cannot be told is left None with the reason, for the command to ask for one setting.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from schemaudit.errors import SchemauditError

_DIALECTS = {"sqlite": "sqlite", "postgresql": "postgresql", "postgres": "postgresql", "mysql": "mysql",
             "mariadb": "mysql"}  # fmt: skip
_URL = re.compile(r"^(?P<scheme>[a-z][a-z0-9]*)(\+[a-z0-9_]+)?://")


@dataclass(frozen=True, slots=True)
class Project:
    ini: Path | None  # alembic.ini, or None when the migrations folder is the source
    script_folder: Path  # the folder holding env.py and versions/
    models: str | None  # a models: spec, or None with `models_reason`
    models_reason: str
    dialect: str | None  # sqlite, postgresql, mysql, or None with `dialect_reason`
    dialect_reason: str
    path: tuple[str, ...]  # prepend_sys_path of the ini file, as absolute folders

    @property
    def alembic_spec(self) -> str:
        return f"alembic:{self.ini or self.script_folder}"


def find_project(where: Path) -> Project:
    """The Alembic project at `where` (an alembic.ini, or a folder holding one, or holding
    a `migrations/` or `alembic/` folder with an env.py)."""
    ini, folder = _locate(where)
    url, prepend = _ini_settings(ini) if ini else (None, None)
    if ini is not None:
        try:
            folder = _script_folder(ini)
        except SchemauditError:
            if not (ini.parent / "env.py").is_file():
                raise
            folder = ini.parent  # Flask-Migrate's ini names no script_location: it is its folder
    base = ini.parent if ini else folder.parent
    if ini is not None and folder == ini.parent and not _has_script_location(ini):
        ini = None
    env_py = folder / "env.py"
    tree = _parse(env_py) if env_py.is_file() else None
    path = tuple(str((base / p).resolve()) for p in (prepend or ".").replace(";", " ").split() if p)
    models, models_reason = _models(tree, env_py)
    root = _package_root(models, folder)
    if root is not None and root not in path:
        path = (*path, root)
    dialect, dialect_reason = _dialect(url, tree, ini, env_py)
    if dialect is None:
        dialect, dialect_reason = _revision_dialect(folder / "versions") or (None, dialect_reason)
    return Project(ini, folder, models, models_reason, dialect, dialect_reason, path)


def _package_root(models: str | None, folder: Path) -> str | None:
    """The folder holding the models' top-level package, when the migrations live inside
    that package (`app/db/migrations/` of `app.db.models`): imports need it on sys.path."""
    if models is None:
        return None
    top = models.split(":")[1].split(".")[0]
    for parent in folder.resolve().parents:
        if (parent / top / "__init__.py").is_file():
            return str(parent)
    return None


def _locate(where: Path) -> tuple[Path | None, Path]:
    if where.is_file():
        return where, where.parent
    if (where / "alembic.ini").is_file():
        return where / "alembic.ini", where
    for name in ("migrations", "alembic"):
        folder = where / name
        if (folder / "alembic.ini").is_file():  # Flask-Migrate keeps it there
            return folder / "alembic.ini", folder
        if (folder / "env.py").is_file():
            return None, folder
    raise SchemauditError(
        f"no alembic.ini in {where} (nor migrations/ or alembic/ with an env.py): run schemaudit check in the "
        "project's folder, or name the file: schemaudit check path/to/alembic.ini"
    )


def _ini_settings(ini: Path) -> tuple[str | None, str | None]:
    from alembic.config import Config

    try:
        config = Config(str(ini))
        return config.get_main_option("sqlalchemy.url"), config.get_main_option("prepend_sys_path")
    except Exception as exc:  # configparser errors, interpolation errors
        raise SchemauditError(f"cannot read {ini}: {str(exc).splitlines()[0]}") from None


def _has_script_location(ini: Path) -> bool:
    from alembic.config import Config

    return bool(Config(str(ini)).get_main_option("script_location"))


def _script_folder(ini: Path) -> Path:
    from schemaudit.sources.alembic.source import locate

    return Path(locate(f"alembic:{ini}").folder)


def _parse(env_py: Path) -> ast.Module | None:
    try:
        return ast.parse(env_py.read_text(encoding="utf-8"), str(env_py))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return None


def _models(tree: ast.Module | None, env_py: Path) -> tuple[str | None, str]:
    if tree is None:
        return None, f"{env_py.name} could not be read" if env_py.is_file() else f"no env.py in {env_py.parent}"
    imports = _imports(tree)
    value = _target_metadata(tree)
    if value is None:
        return None, "env.py assigns no target_metadata"
    if isinstance(value, ast.Constant) and value.value is None:
        return None, "env.py sets target_metadata = None (autogenerate is off)"
    chain = _chain(value)
    if not chain or chain[0] not in imports:
        return None, f"target_metadata = {ast.unparse(value)} does not name an imported module's models"
    module, name = imports[chain[0]]
    parts = ([name] if name else []) + chain[1:]
    if name is None:  # `import app.db.schema`: the longest imported dotted name is the module
        dotted = _dotted_imports(tree)
        k = max((k for k in range(1, len(chain) + 1) if ".".join(chain[:k]) in dotted), default=1)
        module, parts = ".".join(chain[:k]), chain[k:]
    if parts and parts[-1] == "metadata" and len(parts) > 1:
        parts = parts[:-1]  # Base.metadata -> Base
    if not parts:
        return f"models:{module}", f"target_metadata is {module}"
    owner = ".".join([module, *parts[:-1]])
    if parts[-1] in ("db",):  # Flask-SQLAlchemy's db: find the models in its module
        return f"models:{owner}", f"target_metadata = {ast.unparse(value)}"
    return f"models:{owner}:{parts[-1]}", f"target_metadata = {ast.unparse(value)}"


def _imports(tree: ast.Module) -> dict[str, tuple[str, str | None]]:
    """Local name -> (module, imported name or None for a module)."""
    found: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                found[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = (alias.name, None)
                else:
                    found[alias.name.split(".")[0]] = (alias.name.split(".")[0], None)
    return found


def _dotted_imports(tree: ast.Module) -> set[str]:
    return {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


def _target_metadata(tree: ast.Module) -> ast.expr | None:
    value = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets, assigned = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, assigned = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "target_metadata" for t in targets):
            value = assigned
    return value


def _chain(node: ast.expr) -> list[str]:
    """`a.b.c` -> ["a", "b", "c"]; anything else -> []."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return []
    return [node.id, *reversed(parts)]


def _dialect(url: str | None, tree: ast.Module | None, ini: Path | None, env_py: Path) -> tuple[str | None, str]:
    scheme = _scheme(url)
    if scheme:
        return scheme, f"sqlalchemy.url in {ini.name if ini else 'alembic.ini'}"
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (found := _scheme(node.value)):
            return found, f"a {found} URL in {env_py.name}"
    for node in ast.walk(tree) if tree is not None else ():
        batch = isinstance(node, ast.keyword) and node.arg == "render_as_batch"
        if batch and isinstance(node.value, ast.Constant) and node.value.value is True:  # type: ignore[attr-defined]
            return "sqlite", f"{env_py.name} uses render_as_batch=True, Alembic's mode for SQLite"
    return None, "sqlalchemy.url in alembic.ini is not a database URL and env.py sets it at run time"


_DIALECT_IMPORT = re.compile(r"\bsqlalchemy\.dialects(?:\.(postgresql|mysql)\b| import\s+\(?\s*(postgresql|mysql)\b)")


def _revision_dialect(versions: Path) -> tuple[str, str] | None:
    """The database the revisions are written for, when they import one dialect's types
    (`from sqlalchemy.dialects import postgresql`) and no other's."""
    found: dict[str, str] = {}
    for path in sorted(versions.rglob("*.py")) if versions.is_dir() else ():
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for match in _DIALECT_IMPORT.finditer(text):
            found.setdefault(match.group(1) or match.group(2), path.name)
    if len(found) != 1:
        return None
    ((name, file),) = found.items()
    return name, f"{file} imports sqlalchemy.dialects.{name}"


def _scheme(url: str | None) -> str | None:
    match = _URL.match(url.strip().lower()) if url else None
    return _DIALECTS.get(match.group("scheme")) if match else None
