"""Desensitization (脱敏) of personal data before sharing or opening (regulation art. 14, 21, 31–35).

`desensitize.recognizers` holds one Presidio recognizer per entity of `catalog.vocabulary.Entity`,
`desensitize.registry` assembles them into an analyzer that needs no downloaded model, and
`desensitize.text` redacts free text with them, fast (vectorized prefilter, batched validation).
"""
