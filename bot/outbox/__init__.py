"""The outbox: messages queued in the same transaction as their cause, the dispatcher that sends them, the transports."""
