"""Git: the project's log, revisions, changes and each SOP's step history."""
