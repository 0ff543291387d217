"""Sharing and opening governance (art. 14-16, 22-24, 27, 36-39), enforced in front of DuckDB.

DuckDB has no users or permissions, so the platform decides who reads what: consumers, share and open
requests with dual review, grants, data-subject authorizations, use agreements, class changes, demand
requests, suspension and credit records live in `meta`; `rules` decides (pure functions); `access`
builds one database per consumer holding only what it may read; `audit` chains every decision and
every access served. Actions take a `session.Gov` (writer connection, lake, catalog, clock, actor).
"""
