"""The editor under ``sopgen serve``: a small HTTP server on 127.0.0.1 that reads the project's
source files for a form and writes them back, keeping what their authors wrote.

It imports no engine: ``sopgen serve`` starts it beside whichever engine serves the site.
:mod:`.places` decides which files may be written, :mod:`.merge` writes a form's data into a
file's YAML, :mod:`.sources` reads, checks, saves and commits one file, :mod:`.media` takes
pictures, :mod:`.server` is the HTTP boundary (Host header, token, JSON), :mod:`.page` the form's
own page and files (``static/``: the form, and the JSON Editor library it is made with), and
:mod:`.links` what the served pages' Edit and New buttons need (never the token).
"""
