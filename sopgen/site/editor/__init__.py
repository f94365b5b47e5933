"""The editor under ``sopgen serve``: a small HTTP server on 127.0.0.1 that reads the project's
source files for a form and writes them back, keeping what their authors wrote.

It imports no engine: ``sopgen serve`` starts it beside whichever engine serves the site.
:mod:`.places` decides which files may be written, :mod:`.merge` writes a form's data into a
file's YAML, :mod:`.sources` reads, checks, saves and commits one file, and :mod:`.server` is
the HTTP boundary (Host header, token, JSON).
"""
