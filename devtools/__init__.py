"""Development and test support: the local Bot API stand-in and the console chat.

Nothing in the runtime packages (bot, handlers, nlu, storage, config) imports this at module
level; only the no-token `griddesk run` path reaches the console, so a production deployment
never loads the stand-in.
"""
