"""The lake and the warehouse: paths, agency-file reading, Parquet layers, the one DuckDB writer, `meta`."""
