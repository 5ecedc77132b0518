"""Shared test fixtures. Others may append their own; keep each fixture small and documented."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from spacy.language import Language

from bot.analysis.engine import Engine
from bot.analysis.nlp import load_pipeline
from bot.config import AnalysisSettings
from bot.store import Store

# Locally, property tests explore new random inputs on every run; in CI they replay a fixed sequence, so a
# submission's verdict does not depend on the draw. New failures found locally become explicit tests.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The spaCy pipeline, loaded once per test session (loading takes seconds)."""
    return load_pipeline(AnalysisSettings().model)


@pytest.fixture(scope="session")
def engine(nlp: Language) -> Engine:
    """One engine over the shared pipeline, for tests that want whole results."""
    return Engine(AnalysisSettings(), nlp=nlp)


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database file with every migration applied, made once: opening a new file runs ~40 ms of schema
    statements, and most store tests only need the result. (Migrating new files is still run here, by the
    tests that open their own files, and by tests/test_store_migrations.py.)"""
    path = tmp_path_factory.mktemp("template") / "byline.db"

    async def make() -> None:
        async with Store.open(path):
            pass

    asyncio.run(make())
    leftovers = [p.name for p in path.parent.iterdir() if p != path]
    assert not leftovers, f"closing the store left {leftovers}: a copy of {path.name} alone would miss them"
    return path


@pytest.fixture
async def store(tmp_path, migrated_db):
    """A real store on a fresh SQLite file in the test's own directory (migrations applied).

    The file is a copy of ``migrated_db``, the same bytes a new file holds once migrated; the store opens it
    as any existing database (its connections and pragmas are its own).
    """
    path = tmp_path / "byline.db"
    shutil.copyfile(migrated_db, path)
    async with Store.open(path) as opened:
        yield opened
