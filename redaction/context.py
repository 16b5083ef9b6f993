"""What every stage is handed: the settings and the store. It imports nothing of the
stages, so the procedure, the desk and the release path can take a context without
importing the pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from redaction.settings import Settings
from redaction.store import Store, open_store


@dataclass
class Context:
    settings: Settings
    store: Store


def open_context(settings: Settings) -> Context:
    return Context(settings=settings, store=open_store(settings))
