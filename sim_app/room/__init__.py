"""A workshop room: its state, its file, its routes and the participants' page."""
