"""What `sopgen serve` reuses between rebuilds: files read, SOP pages rendered, pages built."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from sopgen.loader import load
from sopgen.render import render
from sopgen.templating import environment


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
