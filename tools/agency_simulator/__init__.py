"""A stand-in for an agency's own system (see simulator.py)."""
