"""The pure core: legal rules with no Flask and no SQLAlchemy."""
