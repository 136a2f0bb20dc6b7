"""
The instruments that ship with leadscore, as definition files.

Importing this package loads and registers nothing.
"""
