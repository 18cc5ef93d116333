"""Linli (邻里): the WeChat service-desk bot. The application factory is bot.app.create_app.

This package module imports nothing, so `import bot.config` (or `linli --help`) does not load
Flask, the handlers or the matcher.
"""
