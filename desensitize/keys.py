"""Per-deployment secret keys for pseudonymization and reversible encryption.

Each key is one file in a private folder outside the repository, created on first use with random
bytes: the folder 0700, the file 0600, written with O_EXCL so that two first runs cannot race into
different keys. The pseudonym key and the encryption key are separate files, so the authority can
hold the encryption key apart (`PDL_ENCRYPTION_KEY_DIR`, or moved off the machine) while
pseudonymization keeps running.

Settings are read when a function is called, never at import. Key bytes are never logged nor put in
an error message; messages name the file only.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

KEY_SIZES = {"pseudonym": 32, "encryption": 64}
DEFAULT_DIR = "~/.local/share/pdl/keys"
_REPO_ROOT = Path(__file__).resolve().parent.parent


class KeyFileError(Exception):
    """A key file that cannot be used safely; the message names the file, never its content."""


def key_dir() -> Path:
    """The key folder: `PDL_KEY_DIR` if set (read now), else `~/.local/share/pdl/keys`."""
    return Path(os.environ.get("PDL_KEY_DIR") or DEFAULT_DIR).expanduser()


def key_path(name: str) -> Path:
    """Where key `name` lives; the encryption key may be held apart through `PDL_ENCRYPTION_KEY_DIR`."""
    apart = os.environ.get("PDL_ENCRYPTION_KEY_DIR") if name == "encryption" else None
    folder = Path(apart).expanduser() if apart else key_dir()
    return folder / f"{name}.key"


def _check_outside_repo(folder: Path) -> None:
    resolved = folder.resolve()
    if resolved == _REPO_ROOT or _REPO_ROOT in resolved.parents:
        raise KeyFileError(f"key folder {folder} is inside the repository; keys must live outside it")


def _check_private(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyFileError(f"key file {path} is accessible to group or others (mode {mode:o}); chmod 600 it")


def _create(path: Path, size: int) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_bytes(size))


def load_or_create(name: str) -> bytes:
    """The bytes of key `name` (`pseudonym` or `encryption`), created on first use."""
    if name not in KEY_SIZES:
        raise KeyFileError(f"unknown key '{name}'; expected one of {', '.join(KEY_SIZES)}")
    path = key_path(name)
    _check_outside_repo(path.parent)
    if not path.exists():
        _create(path, KEY_SIZES[name])
    _check_private(path)
    data = path.read_bytes()
    if len(data) != KEY_SIZES[name]:
        raise KeyFileError(f"key file {path} holds {len(data)} bytes, expected {KEY_SIZES[name]}")
    return data
