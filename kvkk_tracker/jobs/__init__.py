"""Scheduled jobs: plain functions `job(session, now)`; the scheduler is only their clock."""
