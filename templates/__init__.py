"""The default page templates, theme and assets (shipped inside the package as generator.templates)."""
