"""Folders sopgen writes into: none that holds the user's work, one writer at a time, and what a
mount point, a full disk or a read-only folder gives (issue 13, sections 2 and 3)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from conftest import build_tree, run, tree_hash
from sopgen.site import build as sitebuild
from sopgen.cli.main import main

REFUSED = "refused to write the site into"


def snapshot(folder: Path) -> tuple[str, list[str]]:
    """Every file's bytes and every entry's name (hidden ones included) under ``folder``."""
    return tree_hash(folder), sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.fixture
def home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def project(base_project: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The base project (also the current folder), with a git repository, a docs/ page and a
    template of its own."""
    monkeypatch.chdir(base_project)
    build_tree(base_project, {"docs/notes.md": "# Notes\n\nHand-written, not committed.\n",
                              "templates/README.txt": "my templates\n", ".git/HEAD": "ref: refs/heads/main\n"})
    return base_project


# -- 2. output folders that hold the project ---------------------------------------------------

@pytest.mark.parametrize(("site_dir", "reason"), [
    (".", "it is the project folder"),
    ("..", "it holds the project folder"),
    ("sops", "it is the project's sources (sops/)"),
    ("sops/out", "it lies inside the project's sources (sops/)"),
    ("docs", "it is the project's docs folder (docs/)"),
    ("docs/out", "it lies inside the project's docs folder (docs/)"),
    ("templates", "it is the project's templates folder (templates/)"),
    (".git", "it is the project's git repository (.git/)"),
    ("~", "it is your home folder"),
])
@pytest.mark.parametrize("given", ["option", "mkdocs.yml"])
def test_build_refuses_a_site_folder_that_holds_the_users_work(project: Path, home: Path, site_dir: str,
                                                              reason: str, given: str) -> None:
    target = str(home) if site_dir == "~" else site_dir
    if given == "mkdocs.yml":
        build_tree(project, {"mkdocs.yml": f"site_name: Base\ntheme: material\nplugins: [search, sopgen]\n"
                                           f"site_dir: {json.dumps(target)}\n"})
        args = ["build"]
    else:
        args = ["build", "-d", target]
    before = snapshot(project.parent)
    result = run(project, *args)
    assert result.exit_code == 1, result.output
    source = " (site_dir in mkdocs.yml)" if given == "mkdocs.yml" else ""
    assert f"{REFUSED} '{target}'{source}: {reason}" in result.output
    assert "choose a folder of its own, such as 'site'" in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert snapshot(project.parent) == before, "nothing was touched"


def test_build_refuses_the_root_folder(project: Path) -> None:
    result = run(project, "build", "-d", "/")
    assert result.exit_code == 1 and f"{REFUSED} '/': it is the root folder of the file system" in result.output
    assert not Path("/..sopgen-new").exists() and not list(Path("/").glob(".*sopgen*"))


def test_a_folder_of_its_own_inside_the_project_is_fine(project: Path) -> None:
    for site_dir in ("site", "public", "build/site"):
        result = run(project, "build", "--no-pdf", "-q", "-d", site_dir)
        assert result.exit_code == 0, result.output
        assert (project / site_dir / "sops/send-invoices/index.html").is_file()
    assert (project / "docs/notes.md").is_file() and (project / ".git/HEAD").is_file()


@pytest.mark.parametrize("given", ["option", "mkdocs.yml"])
def test_build_replaces_only_a_folder_that_holds_a_site(project: Path, tmp_path: Path, given: str) -> None:
    documents = tmp_path / "Documents"  # outside the project: not its work, but someone's
    build_tree(documents, {"letter.txt": "Dear client\n", "index.html": "<p>my own page</p>\n"})
    if given == "mkdocs.yml":
        build_tree(project, {"mkdocs.yml": f"site_name: Base\ntheme: material\nplugins: [search, sopgen]\n"
                                           f"site_dir: {json.dumps(str(documents))}\n"})
    args = ["build", "--no-pdf"] + (["-d", str(documents)] if given == "option" else [])
    before = snapshot(tmp_path)
    result = run(project, *args)
    assert result.exit_code == 1, result.output
    assert f"{REFUSED} '{documents}'" in result.output
    assert "it holds files and no site built by sopgen" in result.output and "Traceback" not in result.output
    assert snapshot(tmp_path) == before
    (documents / "letter.txt").unlink()
    (documents / "index.html").unlink()
    assert run(project, *args).exit_code == 0, "an empty folder takes a site"
    assert run(project, *args).exit_code == 0, "and a site, the next one"
    assert (documents / "sops/send-invoices/index.html").is_file()


@pytest.mark.parametrize(("site_dir", "reason"), [
    ("README.md", "it is a file"), ("sources", "it is the project's sources (../shared/sops/)"),
    ("../shared/sops", "it is the project's sources (../shared/sops/)"),
    ("../shared", "it holds the project's sources (../shared/sops/)")])
def test_build_refuses_a_file_a_link_into_the_sources_and_sources_outside_the_project(
        project: Path, site_dir: str, reason: str) -> None:
    shutil.move(project / "sops", project.parent / "shared/sops")
    (project / "sources").symlink_to(project.parent / "shared/sops")
    build_tree(project, {"README.md": "# Our handbook\n", "mkdocs.yml": (
        "site_name: Base\ntheme: material\nplugins: [search, {sopgen: {sops_dir: ../shared/sops}}]\n"
        f"site_dir: {site_dir}\n")})
    before = snapshot(project.parent)
    result = run(project, "build", "--no-pdf")
    assert result.exit_code == 1, result.output
    assert reason in result.output and "Traceback" not in result.output
    assert snapshot(project.parent) == before


def test_plain_mkdocs_build_refuses_a_folder_that_holds_no_site(project: Path, tmp_path: Path) -> None:
    build_tree(tmp_path / "www", {"index.html": "<p>my own page</p>\n"})
    build_tree(project, {"mkdocs.yml": "site_name: Base\ntheme: material\nplugins: [search, sopgen]\n"
                                       f"site_dir: {json.dumps(str(tmp_path / 'www'))}\n"})
    before = snapshot(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")],
                          capture_output=True, text=True, cwd=project, timeout=120,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert proc.returncode == 1 and "it holds files and no site built by sopgen" in proc.stderr, proc.stderr
    assert snapshot(tmp_path) == before


def test_plain_mkdocs_build_refuses_a_site_dir_in_the_sources(project: Path) -> None:
    build_tree(project, {"mkdocs.yml": "site_name: Base\ntheme: material\nplugins: [search, sopgen]\nsite_dir: sops\n"})
    before = snapshot(project)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")],
                          capture_output=True, text=True, cwd=project, timeout=120,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"sopgen: refused to write the site into '{project / 'sops'}': it is the project's sources (sops/)" \
        in proc.stderr
    assert snapshot(project) == before


def test_serve_refuses_a_site_dir_that_build_refuses(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands import serve as mkdocs_serve

    def no_serving(*args: object, **kwargs: object) -> None:
        raise AssertionError("serve started")

    monkeypatch.setattr(mkdocs_serve, "serve", no_serving)
    build_tree(project, {"mkdocs.yml": "site_name: Base\ntheme: material\nplugins: [search, sopgen]\nsite_dir: .\n"})
    result = run(project, "serve")
    assert result.exit_code == 1 and "it is the project folder" in result.output, result.output


@pytest.mark.parametrize(("output", "reason"), [
    ("sops", "it is the project's sources (sops/)"), ("sops/pdf", "it lies inside the project's sources (sops/)"),
    ("docs/pdf", "it lies inside the project's docs folder (docs/)"), ("/", "it is the root folder")])
def test_pdf_refuses_an_output_folder_among_the_users_work(project: Path, output: str, reason: str) -> None:
    before = snapshot(project)
    result = run(project, "pdf", "-o", output, "-j", "1")
    assert result.exit_code == 1, result.output
    assert f"refused to write the PDF handbooks into '{output}': {reason}" in result.output
    assert "choose a folder of its own, such as 'handbooks'" in result.output
    assert snapshot(project) == before


def test_pdf_refuses_a_site_folder_that_build_refuses(project: Path) -> None:
    build_tree(project, {"mkdocs.yml": "site_name: Base\ntheme: material\nplugins: [search, sopgen]\nsite_dir: .\n"})
    before = snapshot(project)
    result = run(project, "pdf", "-j", "1")
    assert result.exit_code == 1
    assert f"{REFUSED} '.' (site_dir in mkdocs.yml): it is the project folder" in result.output
    assert snapshot(project) == before


@pytest.mark.parametrize(("directory", "reason"), [
    (".", "it is the project folder"), ("..", "it holds the project folder"),
    ("docs/export", "it lies inside the project's docs folder (docs/)"),
    ("sops/export", "it lies inside the project's sources (sops/)")])
def test_render_refuses_a_folder_that_holds_the_users_work(project: Path, directory: str, reason: str) -> None:
    before = snapshot(project.parent)
    result = run(project, "render", directory, "--force")
    assert result.exit_code == 1, result.output
    assert f"refused to write the rendered project into '{directory}': {reason}" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, RecursionError)
    assert snapshot(project.parent) == before


def test_render_never_deletes_a_file_it_did_not_write(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    build_tree(out, {"docs/mine.md": "# Mine\n", "notes.txt": "mine too\n"})
    before = snapshot(out)
    for force in ([], ["--force"]):
        result = run(project, "render", str(out), *force)
        assert result.exit_code == 1 and "was not written by sopgen render" in result.output, result.output
        assert snapshot(out) == before


def test_render_replaces_an_earlier_render_and_keeps_what_else_its_folder_holds(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    assert run(project, "render", str(out)).exit_code == 0
    first = (out / "docs/sops/send-invoices.md").read_text()
    result = run(project, "render", str(out))
    assert result.exit_code == 1 and "holds an earlier render (use --force to replace it)" in result.output
    build_tree(out, {"site/index.html": "built by plain mkdocs\n"})  # what the user made beside the render
    task = project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("title: ", "title: Renamed ", 1))
    (project / "docs/notes.md").unlink()
    result = run(project, "render", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert "Renamed" in (out / "docs/sops/send-invoices.md").read_text() and first != ""
    assert not (out / "docs/notes.md").exists(), "a page render wrote and the project dropped goes"
    assert (out / "site/index.html").read_text() == "built by plain mkdocs\n"
    assert not list(out.glob(".sopgen-new-*"))
    build_tree(out, {"docs/added-by-hand.md": "# Mine\n"})
    before = snapshot(out)
    result = run(project, "render", str(out), "--force")
    assert result.exit_code == 1
    assert f"{out}/docs/added-by-hand.md was not written by sopgen render" in result.output
    assert snapshot(out) == before


def test_render_replaces_its_theme_overrides_and_never_deletes_one_it_did_not_write(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    config = (project / "mkdocs.yml").read_text()
    build_tree(project, {"mkdocs.yml": config + "repo_url: https://github.com/acme/handbook\n"})
    assert run(project, "render", str(out)).exit_code == 0
    assert (out / "overrides/partials/actions.html").is_file()  # the edit links' partial
    assert "custom_dir: overrides" in (out / "mkdocs.yml").read_text()
    build_tree(project, {"mkdocs.yml": config})  # no edit links: no partial
    result = run(project, "render", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert not (out / "overrides").exists() and "custom_dir" not in (out / "mkdocs.yml").read_text()
    build_tree(out, {"overrides/main.html": "mine\n"})
    before = snapshot(out)
    result = run(project, "render", str(out), "--force")
    assert result.exit_code == 1
    assert f"{out}/overrides/main.html was not written by sopgen render" in result.output
    assert f"move it out of {out}/overrides/" in result.output
    assert snapshot(out) == before


def test_a_failed_render_leaves_the_earlier_one(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sopgen.site import export

    out = tmp_path / "export"
    assert run(project, "render", str(out)).exit_code == 0
    before = snapshot(out)

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "docs/x.md"))

    monkeypatch.setattr(export, "_put_in_place", full)
    result = run(project, "render", str(out), "--force")
    assert result.exit_code == 1
    assert f"could not write the rendered project: the disk holding {out} is full" in result.output
    assert "Errno" not in result.output and "Traceback" not in result.output
    assert snapshot(out) == before


# -- 3. two builds at once, mount points, full disks, read-only folders -----------------------

BUILD = [sys.executable, "-m", "sopgen", "build", "-q"]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1764000000")


def test_two_builds_at_once_both_finish_and_leave_one_whole_site(base_project: Path, tmp_path: Path) -> None:
    site = base_project / "out"
    command = [*BUILD, "--pdf", "-f", str(base_project / "mkdocs.yml"), "-d", str(site)]
    subprocess.run(command, check=True, env=ENV)
    expected = tree_hash(site)
    shutil.rmtree(site)
    procs = [subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert tree_hash(site) == expected, "one whole site: every page and every PDF"
    assert not list(base_project.glob(".out.sopgen-*"))


def test_a_second_build_waits_for_the_first_and_says_who_it_is(base_project: Path) -> None:
    site = base_project / "out"
    fd = os.open(base_project, os.O_RDONLY)  # what a running build holds
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        proc = subprocess.Popen([*BUILD, "--no-pdf", "-f", str(base_project / "mkdocs.yml"), "-d", str(site)],
                                env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(5)
        assert proc.poll() is None, proc.communicate()
        assert not site.exists()
    finally:
        os.close(fd)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"another sopgen is writing {site} (pid {os.getpid()}); waiting for it to finish" in err
    assert (site / "sops/send-invoices/index.html").is_file()


def test_plain_mkdocs_build_waits_too(base_project: Path) -> None:
    (base_project / "docs").mkdir()  # which plain MkDocs insists on
    fd = os.open(base_project, os.O_RDONLY)  # what a running `sopgen build` of site/ holds
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-f", str(base_project / "mkdocs.yml")],
                                env=dict(ENV, NO_MKDOCS_2_WARNING="1"), cwd=base_project,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(5)
        assert proc.poll() is None, proc.communicate()
        assert not (base_project / "site").exists()
    finally:
        os.close(fd)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"another sopgen is writing {base_project / 'site'} (pid {os.getpid()})" in err
    assert (base_project / "site/sops/send-invoices/index.html").is_file()


def test_a_site_folder_that_cannot_be_moved_gets_its_contents_replaced(base_project: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = base_project / "out"
    assert run(base_project, "build", "--no-pdf", "-d", str(site)).exit_code == 0
    build_tree(site, {"stale.html": "from an older site\n"})
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("title: ", "title: Renamed ", 1))

    def busy(self: Path, target: Path) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy", str(self))

    monkeypatch.setattr(sitebuild, "_exchange", lambda a, b: busy(a, b))
    monkeypatch.setattr(Path, "rename", lambda self, target: busy(self, target) if self == site else
                        os.rename(self, target))
    result = run(base_project, "build", "--no-pdf", "-d", str(site))
    assert result.exit_code == 0, result.output
    assert "Renamed Send client invoices" in (site / "sops/send-invoices/index.html").read_text()
    assert not (site / "stale.html").exists()
    assert not list(base_project.glob(".out.sopgen-*")) and not list(site.glob(".sopgen-*"))


def cannot_mount(reason: str) -> None:
    """Mounting needs root (or a user namespace): skipped on a developer's machine without it, but a
    failure in CI, which runs as root, so that a CI run never passes without these tests."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must be able to mount (it runs as root)")
    pytest.skip(reason)


@pytest.fixture
def bind_mount(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A folder mounted over another (a Docker volume's situation); see :func:`cannot_mount`."""
    source, mount = tmp_path / "volume", tmp_path / "mounted"
    source.mkdir()
    mount.mkdir()
    if subprocess.run(["mount", "--bind", str(source), str(mount)], capture_output=True).returncode != 0:
        cannot_mount("mounting is not permitted here")
    try:
        yield source, mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_site_folder_that_is_a_mount_point(base_project: Path, bind_mount: tuple[Path, Path]) -> None:
    volume, site = bind_mount
    for title in ("First", "Second"):
        task = base_project / "sops/tasks/send-invoices.yml"
        task.write_text(task.read_text().replace("title: ", f"title: {title} ", 1))
        result = run(base_project, "build", "--no-pdf", "-d", str(site))
        assert result.exit_code == 0, result.output
        assert f"{title} " in (site / "sops/send-invoices/index.html").read_text()
        assert f"{title} " in (volume / "sops/send-invoices/index.html").read_text(), "still the same volume"
        assert not list(site.parent.glob(".mounted.sopgen-*")) and not list(site.glob(".sopgen-*"))


def test_a_full_disk_names_the_folder_and_keeps_the_old_site(base_project: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs import utils

    site = base_project / "out"
    assert run(base_project, "build", "--no-pdf", "-d", str(site)).exit_code == 0
    before = tree_hash(site)

    def full(content: bytes, output_path: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", output_path)

    monkeypatch.setattr(utils, "write_file", full)
    result = run(base_project, "build", "--no-pdf", "-d", str(site))
    assert result.exit_code == 1
    assert f"could not write the site: the disk holding {site} is full; free some space and try again; " \
           "the previous site was left as it was" in result.output
    assert "Errno" not in result.output and "Traceback" not in result.output
    assert tree_hash(site) == before and not list(base_project.glob(".out.sopgen-*"))


def test_a_full_disk_under_pdf(base_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sopgen.print import pdf

    def full(job: pdf.PdfJob) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(job.target))

    monkeypatch.setattr(pdf, "render", full)
    result = run(base_project, "pdf", "-o", str(tmp_path / "pdfs"), "-j", "1")
    assert result.exit_code == 1
    assert f"could not write the PDF handbooks: the disk holding {tmp_path / 'pdfs'} is full" in result.output
    assert "Traceback" not in result.output


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to: read-only by its mode, or (for root) by a read-only mount."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    with made_read_only(folder):
        yield folder


@contextlib.contextmanager
def made_read_only(folder: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True)
    if mounted.returncode != 0:
        cannot_mount("a read-only folder cannot be made here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("command", ["pdf", "render", "init", "build"])
def test_read_only_targets_give_a_clear_error(base_project: Path, read_only: Path, command: str) -> None:
    target = read_only / "out"
    args = {"pdf": ["pdf", "-j", "1", "-o", str(target)], "render": ["render", str(target)],
            "init": ["init", str(target)], "build": ["build", "--no-pdf", "-d", str(target)]}[command]
    if command == "init":
        result = CliRunner().invoke(main, args)
    else:
        result = run(base_project, *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, OSError), result.exception
    assert "could not write" in result.output and str(read_only) in result.output, result.output
    assert any(why in result.output for why in ("read-only file system", "no permission")), result.output


def test_any_command_that_cannot_write_says_where(base_project: Path) -> None:
    sources = base_project / "sops"
    with made_read_only(sources / "roles"):
        result = run(base_project, "new", "role", "webmaster")
        assert result.exit_code == 1, result.output
        assert "could not write webmaster.yml: " in result.output and str(sources / "roles") in result.output
        assert "Traceback" not in result.output and not isinstance(result.exception, OSError)


def test_a_render_killed_while_it_is_put_in_place_is_replaced_by_the_next(project: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from sopgen.site import export

    class Killed(BaseException):
        pass

    out = tmp_path / "export"
    assert run(project, "render", str(out)).exit_code == 0
    build_tree(project, {"docs/added.md": "# Added since\n"})
    replace = os.replace

    def killed_before_mkdocs_yml(src: object, dst: object) -> None:
        if Path(str(dst)).name == "mkdocs.yml":
            raise Killed()
        replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(export.os, "replace", killed_before_mkdocs_yml)
    with pytest.raises(Killed):
        run(project, "render", str(out), "--force")
    monkeypatch.setattr(export.os, "replace", replace)
    assert (out / "docs/added.md").is_file(), "the kill came after the new docs/ was in place"
    result = run(project, "render", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert "added.md" in (out / "mkdocs.yml").read_text()
