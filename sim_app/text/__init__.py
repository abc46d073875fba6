"""Language: UI strings, Danish labels, number and unit formats, scenario texts."""
