"""`linli` subcommands, one module per area; importing this package registers them."""
from __future__ import annotations

import importlib

# Each module registers its commands on bot.cli.cli when imported. Order = order in --help.
MODULES = ("run", "faq", "roster", "ops", "users", "init", "staff_import", "faq_template", "doctor",
           "residents")


def _load() -> None:
    for name in MODULES:
        qualified = f"{__name__}.{name}"
        try:
            importlib.import_module(qualified)
        except ModuleNotFoundError as exc:
            if exc.name != qualified:  # a missing dependency inside the module is a real error
                raise


_load()
