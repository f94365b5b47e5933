"""Folders sopgen writes into: which ones it refuses, who may write there at a time, and what a
failed write says.

Every command that writes a folder (``build``, ``serve``, ``render``, ``pdf -o``, the plugin under
plain ``mkdocs build``) asks :func:`refusal` first, before anything is touched: a site or a
rendered project replaces what its folder held, so the folder must not be one that holds the
user's work.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional

from .errors import SopgenError


class UnsafeOutput(SopgenError):
    """An output folder that is, holds or lies inside the user's work."""


class OutputFailed(SopgenError):
    """The system refused a write to an output folder (full disk, read-only, no permission)."""


def refusal(target: Path, *, project: Path, kept: Mapping[str, Path], replaces: bool = True) -> Optional[str]:
    """Why ``target`` cannot be an output folder, or None when it can.

    Refused: the root folder, and any of the ``kept`` folders (sources, ``docs/``,
    ``templates/``, ``.git``; name → path) or a folder inside one. When what is written
    ``replaces`` the folder's contents (a site, a rendered project), also the home folder, the
    project folder, and any folder that holds one of them. A folder of its own inside the
    project, such as ``site/`` or ``public/``, is fine.
    """
    target = target.resolve()
    if target == Path(target.anchor):
        return "it is the root folder of the file system"
    if replaces:
        home, project = Path.home().resolve(), project.resolve()
        for name, folder in (("your home folder", home), ("the project folder", project),
                             *((f"the project's {n}", f.resolve()) for n, f in kept.items())):
            if target == folder:
                return f"it is {name}"
            if folder.is_relative_to(target):
                return f"it holds {name}"
    for name, folder in kept.items():
        folder = folder.resolve()
        if target == folder:
            return f"it is the project's {name}"
        if target.is_relative_to(folder):
            return f"it lies inside the project's {name}"
    return None


def kept_folders(project: Path, *, sops_dir: str, docs_dir: str) -> dict[str, Path]:
    """The folders of a project that hold the user's work, by the name an error gives them."""
    sops, docs = sops_dir.rstrip("/\\"), docs_dir.rstrip("/\\")
    return {f"sources ({sops}/)": project / sops, f"docs folder ({docs}/)": project / docs,
            "templates folder (templates/)": project / "templates", "git repository (.git/)": project / ".git"}


def check(target: Path, *, project: Path, kept: Mapping[str, Path], what: str, shown: str,
          example: str = "site", source: str = "", replaces: bool = True) -> None:
    """Raise :class:`UnsafeOutput` when :func:`refusal` refuses ``target`` (``shown`` as the user
    wrote it, in the file ``source`` names, if any)."""
    reason = refusal(target, project=project, kept=kept, replaces=replaces)
    if reason:
        given = f"'{shown}' ({source})" if source else f"'{shown}'"
        raise UnsafeOutput(f"refused to write {what} into {given}: {reason}; "
                           f"choose a folder of its own, such as '{example}'")


def is_site(folder: Path) -> bool:
    """Whether ``folder`` is absent, empty, or a site sopgen built (which a new build replaces)."""
    folder = folder.resolve()
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    if not any(folder.iterdir()):
        return True
    return (folder / "index.html").is_file() and (folder / "assets" / "sopgen").is_dir()


def check_site(folder: Path, *, shown: str, source: str = "") -> None:
    """Refuse to replace what is not a site of sopgen's: a file, or a folder that holds files but
    no site (``~/Documents``, a web server's folder with pages of its own)."""
    if not is_site(folder):
        given = f"'{shown}' ({source})" if source else f"'{shown}'"
        what = "it is a file" if not folder.resolve().is_dir() else "it holds files and no site built by sopgen"
        raise UnsafeOutput(f"refused to write the site into {given}: {what}, and the site replaces everything "
                           "in its folder; choose a new or empty folder (or empty this one yourself, if nothing "
                           "in it is needed)")


WRITE_ERRORS = {errno.ENOSPC: "the disk holding {} is full; free some space and try again",
                errno.EDQUOT: "the disk quota for {} is used up; free some space and try again",
                errno.EROFS: "{} is on a read-only file system; choose a folder you can write to",
                errno.EACCES: "no permission to write in {}; choose a folder you can write to",
                errno.EPERM: "no permission to write in {}; choose a folder you can write to"}
"""What the system's refusals to write mean for the user, with the folder concerned."""


def failure(exc: OSError, folder: Path, what: str) -> Optional[OutputFailed]:
    """``exc`` said in the user's terms (which folder, what went wrong, what to do) when it is
    the system refusing a write; None for any other error."""
    if exc.errno not in WRITE_ERRORS:
        return None
    return OutputFailed(f"could not write {what}: {WRITE_ERRORS[exc.errno].format(folder)}")


@contextlib.contextmanager
def writing(folder: Path, what: str) -> Iterator[None]:
    """Turn the system's refusal to write inside (a full disk, a read-only folder) into
    :class:`OutputFailed` naming ``folder``."""
    try:
        yield
    except OSError as exc:
        said = failure(exc, folder, what)
        if said is None:
            raise
        raise said from None


_held: dict[Path, int] = {}
"""Folders whose lock this process holds, and how many times it took each (see :func:`lock`)."""


@contextlib.contextmanager
def lock(folder: Path, *, echo: Callable[[str], None]) -> Iterator[None]:
    """Only one sopgen at a time writes ``folder`` and its staging folders beside it.

    The lock is the system's (``flock``) on the folder that holds ``folder``: it leaves no file
    behind, and the system releases it when its process ends, however it ends (a build killed
    by the OOM killer never blocks the next one). A second build waits, and says for whom.
    Taken again by the same process, it is simply counted.
    """
    parent = folder.resolve().parent
    if parent in _held:
        _held[parent] += 1
        try:
            yield
        finally:
            _held[parent] -= 1
        return
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock
        yield
        return
    with writing(parent, str(folder)):
        parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            echo(f"another sopgen is writing {folder}{f' (pid {holder})' if holder else ''}; "
                 "waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        _held[parent] = 1
        try:
            yield
        finally:
            del _held[parent]
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> Optional[int]:
    """The process holding the ``flock`` on ``fd``'s file, where the system says (Linux)."""
    st = os.fstat(fd)
    key = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        text = Path("/proc/locks").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        parts = line.split()  # "1: FLOCK  ADVISORY  WRITE 4242 00:2d:1234 0 EOF" (waiters have "->")
        if len(parts) > 5 and parts[1] == "FLOCK" and parts[5] == key and parts[4].isdigit():
            return int(parts[4])
    return None


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's ``renameat2(RENAME_EXCHANGE)``; False where unsupported."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system or kernel without it
        return False
    raise OSError(err, os.strerror(err), str(b))


@functools.lru_cache(maxsize=None)
def _libc() -> Any:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    if hasattr(libc, "renameat2"):
        libc.renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        libc.renameat2.restype = ctypes.c_int
    return libc
