"""The fault drill (`make faults`, docs/reliability.md); not part of `make test`."""
