# Kafka driver: filled in by its own change.
