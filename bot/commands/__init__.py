"""`linli` subcommands, one module per area; importing this package registers them."""
from bot.commands import run  # noqa: F401
