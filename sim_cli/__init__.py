"""The ``sim`` command: model commands (``run``, ``compare``, ``scenarios``, ``params``) and the
sweep engine's (``sweep``, ``analyze``).

It lives outside the model package, with what only the command line uses (``compare``: paired
runs of two policies; ``plotting``; ``outputs``: output files checked first and written whole,
which the sweep engine's folders use too), so that ``sim`` never imports the sweep engine and
editing the command line changes no run's identity (``sim_sweep.fingerprint``). Importing
this package is light (``sim_cli.entry`` catches Ctrl-C while the heavy libraries load); the
command line itself is ``sim_cli.main.main``.
"""
