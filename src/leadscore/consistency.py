"""Deprecated: import reliability and its report classes from `leadscore` itself; this module goes in 0.2.0."""

from leadscore._deprecation import moved_module


__getattr__ = moved_module(__name__, "leadscore._reliability")
