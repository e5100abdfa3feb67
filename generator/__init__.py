"""factsheet: a static fact-sheet generator in which every fact is cited and verified."""

__version__ = "0.1.0"
