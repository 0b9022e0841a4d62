"""Thin blueprints per audience."""
