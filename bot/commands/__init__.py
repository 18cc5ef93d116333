"""`linli` subcommands, one module per area; bot.cli lists them (importing them registers nothing)."""
