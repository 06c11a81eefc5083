# Redis Streams driver: filled in by its own change.
