"""Getting things out and in: the summary, CSV, scenario files, file import."""
