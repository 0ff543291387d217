"""`pdl`, the platform's command line: the same library functions the Dagster assets call."""
