"""What every pattern recognizer of ours shares: width folding, digit boundaries, context and a fast `find`.

Presidio's `PatternRecognizer` runs the regexes, calls `validate_result()` and drops a span whose validation
fails. Ours add four things Chinese text needs:

- **width folding**: agency text carries identifiers typed in full-width (`１３８…`). The text is folded
  (U+FF01–U+FF5E to ASCII, U+3000 to a space) before matching. The mapping is one character to one
  character, so offsets stay those of the input.
- **digit boundaries**: Python's `\\b` sees CJK characters as word characters, so patterns are wrapped in
  look-arounds on ASCII letters and digits instead (`NOT_AFTER_ALNUM` / `NOT_BEFORE_ALNUM`).
- **context in characters**: with no spaCy model there are no tokens or lemmas, so the context words are
  looked up as substrings of the `CONTEXT_WINDOW` characters before the span. The same rule runs in
  Presidio's path (`enhance_using_context`) and in ours (`find`).
- **`find(text, folded, floor)`**: the same patterns and the same validation without Presidio's per-call
  bookkeeping, with validation results memoized per span text; candidates that cannot reach `floor`
  (the caller's score threshold) even with a passing check (`ceiling`) and context are not validated.
  The fast path in `desensitize.text` calls it once per recognizer and batch of cells that the
  vectorized prefilter (`candidate_expr`: `PREFILTER`, a Rust regex every match satisfies) selected,
  joined by `SEP`; context windows stop at `SEP`.
"""

from __future__ import annotations

import re
from typing import ClassVar

import polars as pl
import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from quality.validators.normalize import normalize_identifier

LANGUAGE = "zh"
FLAGS = regex.DOTALL | regex.MULTILINE
SEP = "\x00"
NOT_AFTER_ALNUM = r"(?<![0-9A-Za-z])"
NOT_BEFORE_ALNUM = r"(?![0-9A-Za-z])"
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
WIDE_TO_NARROW = {chr(wide): chr(narrow) for wide, narrow in _FOLD.items()}
_CACHE_LIMIT = 200_000
_UNSEEN = object()

Hit = tuple[int, int, float]


def fold_width(text: str) -> str:
    """Full-width ASCII forms to ASCII and the ideographic space to a space, one character for one."""
    return text.translate(_FOLD) if _WIDE.search(text) else text


class CnPatternRecognizer(PatternRecognizer):
    """Base of the regex-plus-validator recognizers: subclasses set the class attributes and `check`."""

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]]
    CONTEXT: ClassVar[list[str]] = []
    PREFILTER: ClassVar[str]
    CHECKSUM: ClassVar[bool] = False
    CONTEXT_WINDOW: ClassVar[int] = 12
    CONTEXT_BOOST: ClassVar[float] = 0.35

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            supported_language=supported_language,
            patterns=[Pattern(p.name, p.regex, p.score) for p in self.PATTERNS],
            context=list(self.CONTEXT),
            global_regex_flags=FLAGS,
        )
        self._compiled = [(re.compile(p.regex, re.DOTALL | re.MULTILINE), p.score) for p in self.patterns]
        self._verdicts: dict[str, bool | None] = {}
        self._context_words = re.compile("|".join(re.escape(word) for word in self.context)) if self.context else None

    def candidate_expr(self, text: pl.Expr) -> pl.Expr:
        """Vectorized: True where `find` may match (`PREFILTER`, evaluated by Polars)."""
        return text.str.contains(self.PREFILTER)

    def check(self, candidate: str) -> bool | None:
        """Validate a normalized candidate: True keeps it at full score, False drops it, None keeps the base."""
        return None

    def validate_result(self, pattern_text: str) -> bool | None:
        """Presidio's hook: normalize (spaces, dashes, case) and ask the shared validator."""
        return self.check(normalize_identifier(pattern_text))

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> list[RecognizerResult]:
        """Match on the width-folded text; offsets are those of `text`."""
        return super().analyze(fold_width(text), entities, nlp_artifacts, regex_flags)

    def context_score(self, text: str, start: int, score: float) -> float:
        """Raise the score when a context word occurs in the characters just before the span."""
        if self._context_words is None or score >= 1.0:
            return score
        window = text[max(0, start - self.CONTEXT_WINDOW) : start]
        if self._context_words.search(window, window.rfind(SEP) + 1):
            return min(1.0, score + self.CONTEXT_BOOST)
        return score

    def enhance_using_context(
        self, text, raw_recognizer_results, other_raw_recognizer_results, nlp_artifacts, context=None
    ) -> list[RecognizerResult]:
        """Presidio's recognizer-level hook, applying `context_score` (works with the no-op NLP engine)."""
        for result in raw_recognizer_results:
            boosted = self.context_score(text, result.start, result.score)
            if boosted > result.score:
                result.score = boosted
                result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return raw_recognizer_results

    def verdict(self, candidate: str) -> bool | None:
        """`validate_result` and `invalidate_result`, memoized: False when either rejects."""
        found = self._verdicts.get(candidate, _UNSEEN)
        if found is _UNSEEN:
            if len(self._verdicts) > _CACHE_LIMIT:
                self._verdicts.clear()
            valid = self.validate_result(candidate)
            found = self._verdicts[candidate] = False if self.invalidate_result(candidate) else valid
        return found

    def ceiling(self, candidate: str, base: float) -> float:
        """The highest score `check` can give this candidate (as matched) before context: 1.0 unless a
        subclass knows that `check` cannot return True for it (then `base`)."""
        return 1.0

    def find(self, text: str, folded: str | None = None, floor: float = 0.0) -> list[Hit]:
        """Spans (start, end, score) as `analyze` would return them, without Presidio's bookkeeping.

        The patterns are compiled with the standard `re` (faster on these simple patterns; same syntax and
        flags as Presidio's `regex`); `folded` is `fold_width(text)` when the caller has it already. Spans
        scoring below `floor` may be left out: a candidate that cannot reach it even with a passing check
        (`ceiling`) and its context is not validated.
        """
        folded = fold_width(text) if folded is None else folded
        floor = floor if type(self).ceiling is not CnPatternRecognizer.ceiling else 0.0
        verdicts, boosted = self._verdicts, self.context_score
        hits: dict[tuple[int, int], float] = {}
        for compiled, base in self._compiled:
            for match in compiled.finditer(folded):
                start, end = match.span()
                if start == end:
                    continue
                candidate = folded[start:end]
                if floor and boosted(text, start, self.ceiling(candidate, base)) < floor:
                    continue
                valid = verdicts.get(candidate, _UNSEEN)
                if valid is _UNSEEN:
                    valid = self.verdict(candidate)
                if valid is False:
                    continue
                score = boosted(text, start, 1.0 if valid else base)
                hits[start, end] = max(score, hits.get((start, end), 0.0))
        return [(s, e, score) for (s, e), score in hits.items()]
