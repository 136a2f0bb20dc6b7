"""Deprecated: import to_json, from_json, fingerprint, make_converter from `leadscore`; this module goes in 0.2.0."""

from leadscore._deprecation import moved_module


__getattr__ = moved_module(__name__, "leadscore._serialization")
