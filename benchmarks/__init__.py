"""Benchmarks, run by `make bench`; tests reuse their cases."""
