"""Business operations: (session, actor, now, ...) in, domain errors out. They never commit."""
