"""``--engine zensical``: the site built by Zensical, with sopgen's guarantees around it.

Zensical reads ``mkdocs.yml`` but ignores plugins it does not know, ``sopgen`` among them. So
sopgen renders the project for it first (the machinery of ``sopgen render``: every page, image,
the navigation and the theme's settings in a plain project), runs Zensical on that in a child
process, and keeps its own promises around the build:

- the sources are validated first (by the command), and an error builds nothing;
- ``--strict`` fails on Zensical's warnings too (broken links, in the project's own pages);
- the build is dated by its last commit (or ``SOURCE_DATE_EPOCH``), like the plugin's;
- the new site replaces the old one in one step, under the site lock, only when all succeeded
  (:func:`sopgen.site.build.swap`, :func:`sopgen.core.outputs.lock`);
- the PDF handbooks go into the site, and the pages link to them;
- each translation is a rendered project of its own, built by Zensical too and put at ``/<lang>/``
  of the source's site, every page with the switcher (:mod:`sopgen.site.languages`).

The rendered project is kept in the user's cache folder (``~/.cache/sopgen/zensical/``), one
per site folder, so that Zensical's own cache makes the next build faster.
"""

from .build import build
from .rendered import KEPT, cache_dir, ignored, issues
from .serve import serve

__all__ = ["KEPT", "build", "cache_dir", "ignored", "issues", "serve"]
