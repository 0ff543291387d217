"""Reference data shipped with the platform (administrative divisions); see divisions/SOURCES.md."""
