"""Config file search and packaged resources (`builtin:NAME`), with one-line errors naming the fix."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

# Where Linli looks for its config, in this order (named in every "not found" error).
SEARCH_ORDER = "--config, $LINLI_CONFIG, ./config.yaml, /etc/linli/config.yaml"
ETC_CONFIG = Path("/etc/linli/config.yaml")
INIT_HINT = "create one with `linli init DIR` or pass --config FILE"

# builtin:NAME -> (package, file) shipped inside the wheel; nothing needs copying out of it.
BUILTINS = {
    "sample": ("knowledge_base", "default_faq.yaml"),
    "routing": ("knowledge_base", "routing_default.yaml"),
    "reranker": ("knowledge_base", "reranker.json"),
}
PREFIX = "builtin:"


class ResourceError(Exception):
    """A config file or a file named in it cannot be used; the message is one line."""


def find_config(explicit: str | os.PathLike | None, env: dict | None = None,
                cwd: Path | None = None) -> Path:
    """The config file to load: --config, $LINLI_CONFIG, ./config.yaml, /etc/linli/config.yaml."""
    env = os.environ if env is None else env
    if explicit:
        return _must_exist(Path(explicit), "given by --config")
    if env.get("LINLI_CONFIG"):
        return _must_exist(Path(env["LINLI_CONFIG"]), "given by $LINLI_CONFIG")
    local = (cwd or Path.cwd()) / "config.yaml"
    for candidate in (local, ETC_CONFIG):
        if candidate.is_file():
            return candidate
    raise ResourceError(f"config not found: looked for {SEARCH_ORDER} (in {local.parent}); {INIT_HINT}")


def _must_exist(path: Path, how: str) -> Path:
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise ResourceError(f"config not found: {path} ({how}) {what}; Linli looks for {SEARCH_ORDER}; "
                            f"{INIT_HINT}")
    return path


def builtin_path(name: str) -> Path:
    """The on-disk path of a packaged resource (wheels install as plain files, never zipped)."""
    if name not in BUILTINS:
        raise KeyError(name)
    package, filename = BUILTINS[name]
    return Path(str(resources.files(package).joinpath(filename)))


def resolve_file(key: str, value: str, base: Path, source: str) -> str:
    """An absolute, readable path for a config value: `builtin:NAME`, absolute, or relative to base."""
    if value.startswith(PREFIX):
        name = value[len(PREFIX):]
        try:
            path = builtin_path(name)
        except KeyError:
            known = ", ".join(PREFIX + n for n in BUILTINS)
            raise ResourceError(f"{source}: {key}: unknown packaged file {value!r}; use one of {known}") from None
    else:
        path = Path(value).expanduser()
        path = path if path.is_absolute() else (base / path)
    _must_read(key, path.resolve(), source)
    return str(path.resolve())


def _must_read(key: str, path: Path, source: str) -> None:
    fix = (f"fix the path (a relative path is read from the config file's folder), "
           f"or write `{key}: {_suggestion(key)}` to use the file shipped with Linli")
    if not path.exists():
        raise ResourceError(f"{source}: {key}: {path}: file not found; {fix}")
    if not path.is_file():
        raise ResourceError(f"{source}: {key}: {path}: is not a file; {fix}")
    if not os.access(path, os.R_OK):
        raise ResourceError(f"{source}: {key}: {path}: cannot be read (permission denied); "
                            f"let the user running Linli read it (chmod/chown), or {fix}")


def _suggestion(key: str) -> str:
    return {"knowledge_base": "builtin:sample", "faq.model_file": "builtin:reranker"}.get(key, "builtin:…")
