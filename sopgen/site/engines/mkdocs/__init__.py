"""``--engine mkdocs`` (the default), and ProperDocs' build in its child process: MkDocs runs the
``sopgen`` plugin (:mod:`.plugin`), hooks over :func:`sopgen.site.generate.generate`; what it
adds to MkDocs' structures is :mod:`.structures`, what serve keeps between rebuilds
:mod:`.servestate`; :mod:`.build` and :mod:`.serve` run MkDocs for ``sopgen build`` and
``sopgen serve``."""
