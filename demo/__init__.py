"""Demo county data: realistic, deterministic agency extracts for the Deqing lakehouse.

`demo.generate.generate(landing, today)` writes one source extract per catalog dataset into
`landing/<provider code>/<dataset id>/`, as the providing agency would send it: its declared format
(CSV in UTF-8, UTF-8 with BOM or GB18030, XLSX, JSON Lines or Parquet), headers taken from the first
Chinese alias of each catalog column, and values that look real (Deqing's townships, Chinese names and
addresses, resident IDs, credit codes, bank cards and mobiles with correct check characters).

All persons, companies and numbers are invented; they are fixed by the seed and the generation date, so
two runs give byte-identical files. A small, counted share of defects is seeded on purpose (bad check
characters, missing required values, duplicate keys, invalid mobiles, one overdue dataset) so that the
quality gate, scorecards and freshness checks have something to find; `demo.defects.DEFECTS` lists them.
"""
