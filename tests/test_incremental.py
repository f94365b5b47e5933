"""What `sopgen serve` reuses between rebuilds: files read, SOP pages rendered, pages built."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from sopgen.core.loader import load
from sopgen.site.pages import render
from sopgen.text.templating import environment


def touch_later(path: Path, text: str) -> None:
    path.write_text(text)
    later = time.time() + 5  # a distinct modification time, whatever the file system's resolution
    os.utime(path, (later, later))


def test_unchanged_files_are_not_read_again(base_project: Path) -> None:
    cache: dict = {}
    first = load(base_project, cache=cache)
    second = load(base_project, cache=cache)
    assert second.tasks["send-invoices"].data is first.tasks["send-invoices"].data
    task = base_project / "sops/tasks/reconcile-bank.yml"
    touch_later(task, task.read_text().replace("Match each transaction.", "Match every transaction."))
    third = load(base_project, cache=cache)
    assert third.tasks["send-invoices"].data is first.tasks["send-invoices"].data
    assert third.tasks["reconcile-bank"].data is not first.tasks["reconcile-bank"].data
    assert third.tasks["reconcile-bank"].steps[0].do == "Match every transaction."


def test_cached_problems_are_reported_again(base_project: Path) -> None:
    cache: dict = {}
    task = base_project / "sops/tasks/reconcile-bank.yml"
    task.write_text(task.read_text().replace("steps:", "setps:"))
    assert [p.field for p in load(base_project, cache=cache).problems] == ["steps", "setps"]
    assert [p.field for p in load(base_project, cache=cache).problems] == ["steps", "setps"]


def test_only_sop_pages_whose_inputs_changed_are_rendered_again(base_project: Path) -> None:
    reads: dict = {}
    pages: dict = {}
    env = environment(base_project)
    first = render(load(base_project, cache=reads), env, today=date(2026, 11, 25), cache=pages)
    task = base_project / "sops/tasks/reconcile-bank.yml"
    touch_later(task, task.read_text().replace("Match each transaction.", "Match every transaction."))
    second = render(load(base_project, cache=reads), env, today=date(2026, 11, 25), cache=pages)
    assert second.pages["sops/reconcile-bank.md"] is not first.pages["sops/reconcile-bank.md"]
    assert "Match every transaction." in second.pages["sops/reconcile-bank.md"].markdown
    # send-invoices is required by reconcile-bank, whose title did not change: reused as it was
    assert second.pages["sops/send-invoices.md"] is first.pages["sops/send-invoices.md"]
    touch_later(task, task.read_text().replace("title: Reconcile the bank account", "title: Reconcile the bank"))
    third = render(load(base_project, cache=reads), env, today=date(2026, 11, 25), cache=pages)
    # now the title it shows under "Needed for" changed
    assert third.pages["sops/send-invoices.md"] is not second.pages["sops/send-invoices.md"]
    assert "[Reconcile the bank](reconcile-bank.md)" in third.pages["sops/send-invoices.md"].markdown


def save_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    """Save ``path`` with ``old`` replaced by ``new`` (the same length) and its times put back:
    an editor's save within the file system's time resolution, or a tool that keeps times."""
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_save_of_the_same_size_and_time_is_read_again(base_project: Path) -> None:
    cache: dict = {}
    task = base_project / "sops/tasks/reconcile-bank.yml"
    assert load(base_project, cache=cache).tasks["reconcile-bank"].steps[0].do == "Match each transaction."
    save_keeping_size_and_time(task, "Match each transaction.", "Match all transactions.")
    assert load(base_project, cache=cache).tasks["reconcile-bank"].steps[0].do == "Match all transactions."
    # a file saved back as it was is the cached read again
    save_keeping_size_and_time(task, "Match all transactions.", "Match each transaction.")
    again = load(base_project, cache=cache)
    assert again.tasks["reconcile-bank"].steps[0].do == "Match each transaction."


def test_a_template_saved_with_the_same_size_and_time_renders_again(base_project: Path) -> None:
    reads: dict = {}
    pages: dict = {}
    template = base_project / "templates/sop.md.j2"
    template.parent.mkdir()
    template.write_text('{% extends "default:sop.md.j2" %}\n{% block footer %}Footer one{% endblock %}\n')
    env = environment(base_project)
    first = render(load(base_project, cache=reads), env, today=date(2026, 11, 25), cache=pages)
    assert "Footer one" in first.pages["sops/reconcile-bank.md"].markdown
    save_keeping_size_and_time(template, "Footer one", "Footer two")
    second = render(load(base_project, cache=reads), env, today=date(2026, 11, 25), cache=pages)
    assert "Footer two" in second.pages["sops/reconcile-bank.md"].markdown


def test_mkdocs_yml_saved_with_the_same_size_and_time_is_read_again(tmp_path: Path) -> None:
    from sopgen.site.config import read as read_config

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Handbook\nsite_dir: public\nplugins: [search, sopgen]\n")
    assert read_config(config).site_dir == (tmp_path / "public").resolve()
    save_keeping_size_and_time(config, "public", "output")
    assert read_config(config).site_dir == (tmp_path / "output").resolve()
