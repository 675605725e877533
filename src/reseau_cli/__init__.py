"""reseau: coordinate care and social support around a person, in a shared git repository."""

__version__ = "0.1.0"
