"""Shared test fixtures. Others may append their own; keep each fixture small and documented."""

from __future__ import annotations

import pytest
from spacy.language import Language

from bot.analysis.engine import Engine
from bot.analysis.nlp import load_pipeline
from bot.config import AnalysisSettings


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The spaCy pipeline, loaded once per test session (loading takes seconds)."""
    return load_pipeline(AnalysisSettings().model)


@pytest.fixture(scope="session")
def engine(nlp: Language) -> Engine:
    """One engine over the shared pipeline, for tests that want whole results."""
    return Engine(AnalysisSettings(), nlp=nlp)
