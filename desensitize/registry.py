"""The Presidio analyzer for Chinese text, with our recognizers and no downloaded model.

Presidio's `NoOpNlpEngine` stands in for spaCy: every recognizer here works on the raw text (regexes,
lists, jieba's dictionary) and applies its own context words (see `recognizers.base`), so no tokens or
lemmas are needed and nothing is fetched from the network. The e-mail recognizer's tldextract runs on
its bundled suffix list.
"""

from __future__ import annotations

from functools import cache

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NoOpNlpEngine

from desensitize.recognizers import RECOGNIZER_CLASSES
from desensitize.recognizers.base import FLAGS, LANGUAGE

SCORE_THRESHOLD = 0.5


@cache
def _recognizers() -> tuple[EntityRecognizer, ...]:
    return tuple(cls(supported_language=LANGUAGE) for cls in RECOGNIZER_CLASSES)


def recognizers() -> list[EntityRecognizer]:
    """One instance of each recognizer, in precedence order (shared, built once per process)."""
    return list(_recognizers())


@cache
def build_analyzer() -> AnalyzerEngine:
    """An `AnalyzerEngine` for `zh` with our recognizers only, the no-op NLP engine and a 0.5 threshold."""
    nlp_engine = NoOpNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "no_op"}])
    registry = RecognizerRegistry(recognizers=recognizers(), global_regex_flags=FLAGS, supported_languages=[LANGUAGE])
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        default_score_threshold=SCORE_THRESHOLD,
    )
