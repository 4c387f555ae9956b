"""Textual screens: they arrange widgets and call services, nothing more."""
