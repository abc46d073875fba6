"""The Solara front end's components (the page itself is ``sim_app.views.page.Page``).

``sim_app`` may import ``sim``; ``sim`` never imports ``sim_app``.
"""
