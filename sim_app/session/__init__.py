"""A session's state: settings, the current run, the band, play position, URL and undo."""
