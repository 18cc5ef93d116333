"""The message pipeline's handlers. Their order lives in ONE place: build_handlers()."""
from __future__ import annotations

from handlers.dedupe import Dedupe
from handlers.events import Events
from handlers.fallback import Fallback


def build_handlers(services) -> list:
    """The ordered handler list: the first handler that returns a Reply ends the pipeline."""
    return [
        Dedupe(),
        Events(),
        Fallback(),
    ]
