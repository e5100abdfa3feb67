"""The factsheet MkDocs theme (`theme: name: factsheet`, the `mkdocs.themes` entry point).

MkDocs finds a theme's files beside the module its entry point names: this directory."""
