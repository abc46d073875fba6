"""The ``sim`` command: model commands (``run``, ``compare``, ``scenarios``, ``params``) and the
sweep engine's (``sweep``, ``analyze``).

It lives outside the model package so that ``sim`` never imports the sweep engine and "the
model's code" (what a sweep run's identity hashes) is simply the ``sim`` package. Importing
this package is light (``sim_cli.entry`` catches Ctrl-C while the heavy libraries load); the
command line itself is ``sim_cli.main.main``.
"""
