"""The one way sopgen runs git, so that every reading of a repository is the same.

Git's output is meant for people unless told otherwise: it quotes paths with
non-ASCII letters (``"B\\303\\244ckerei/"``), prints signatures into ``git log``
when ``log.showSignature`` is set, follows a user's colour and pager settings,
and speaks the user's language. Every call here turns those off, and the
callers ask for NUL-separated output (``-z``) wherever git prints paths.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Optional, Union

from ..core.errors import SopgenError

OPTIONS = ("-c", "core.quotePath=false", "-c", "log.showSignature=false", "-c", "log.follow=false",
           "-c", "i18n.logOutputEncoding=UTF-8", "-c", "color.ui=false", "--no-pager", "--literal-pathspecs")
"""Before every command: paths as they are, messages in UTF-8, no signatures, no colour, no pager,
``git log`` as asked (never ``--follow`` of its own); a path is never a pattern."""
ENV = {"LC_ALL": "C", "LANGUAGE": "", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
"""English messages (a few are read), never a password prompt, and no index lock taken by `status`
(the user may be committing while `sopgen serve` looks)."""


class GitUnavailable(SopgenError):
    """git cannot be started here (not installed), or did not answer in time."""


@dataclass(frozen=True)
class Output:
    returncode: int
    stdout: bytes
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def text(self) -> str:
        """The output as text; bytes that are not UTF-8 are shown as �."""
        return self.stdout.decode("utf-8", "replace")

    def fields(self) -> list[str]:
        """The NUL-separated fields of ``-z`` output, as file names (undecodable bytes kept, as Python's
        own file names keep them, so that they match the paths on disk)."""
        return [os.fsdecode(part) for part in self.stdout.split(b"\0")]


def command(root: Union[str, Path], *args: str) -> list[str]:
    """The command line that runs ``git ARGS`` in ``root`` with sopgen's options."""
    return ["git", "-C", str(root), *OPTIONS, *args]


def env() -> dict[str, str]:
    return {**os.environ, **ENV}


def git(root: Union[str, Path], *args: str, timeout: float = 120, input: Optional[bytes] = None) -> Output:
    """Run ``git ARGS`` in ``root`` (with ``input`` on its standard input) and return what it printed;
    :class:`GitUnavailable` when git cannot run."""
    try:
        done = subprocess.run(command(root, *args), capture_output=True, env=env(), timeout=timeout, check=False,
                              input=input)
    except OSError as exc:
        raise GitUnavailable(f"git is not installed ({exc.strerror or exc})") from None
    except subprocess.TimeoutExpired:
        raise GitUnavailable(f"git did not answer within {timeout:g} s (git {' '.join(args[:1])})") from None
    return Output(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


def stream(root: Union[str, Path], *args: str, stderr: Optional[IO[bytes]] = None) -> "subprocess.Popen[bytes]":
    """Start ``git ARGS`` in ``root`` with its output to read as it comes (``git archive``)."""
    try:
        return subprocess.Popen(command(root, *args), stdout=subprocess.PIPE, stderr=stderr, env=env())
    except OSError as exc:
        raise GitUnavailable(f"git is not installed ({exc.strerror or exc})") from None
