"""`kvkk-tracker users ...` and `kvkk-tracker audit verify`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from .clock import utcnow
from .extensions import db
from .models import ROLES, User
from .services import users as user_service
from .services.actors import Actor
from .services.audit import verify_chain

users_cli = AppGroup("users", help="Manage staff accounts.")
audit_cli = AppGroup("audit", help="Check the audit trail.")
CLI_ACTOR = Actor("system", "cli")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", required=True)
@click.option("--title", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, role: str, name: str, title: str | None,
                password_stdin: bool) -> None:
    """Create a staff account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = user_service.create_user(db.session, CLI_ACTOR, utcnow(), email=email, name=name,
                                        role=role, password=password, title=title)
    except user_service.UserError as error:
        db.session.rollback()
        messages = {"exists": "a user with this e-mail already exists",
                    "too_short": f"the password needs at least "
                                 f"{user_service.MIN_PASSWORD_LENGTH} characters",
                    "unknown_role": "unknown role"}
        raise click.ClickException(messages.get(error.why, error.why)) from None
    db.session.commit()
    click.echo(f"created {user.email} ({user.role})")


@users_cli.command("list")
def list_users() -> None:
    """List staff accounts."""
    rows = db.session.scalars(select(User).order_by(User.email)).all()
    if not rows:
        click.echo("no users yet")
    for user in rows:
        state = "active" if user.active else "disabled"
        totp = "2fa" if user.totp_enabled else "no-2fa"
        click.echo(f"{user.email}\t{user.role}\t{state}\t{totp}\t{user.name}")


@users_cli.command("disable")
@click.argument("email")
def disable_user(email: str) -> None:
    """Disable an account and end its sessions."""
    user = db.session.scalar(select(User).where(User.email == user_service.normalize_email(email)))
    if user is None:
        raise click.ClickException(f"no user {email}")
    user_service.disable_user(db.session, CLI_ACTOR, utcnow(), user)
    db.session.commit()
    click.echo(f"disabled {user.email}")


@audit_cli.command("verify")
def verify() -> None:
    """Verify the whole hash chain; exit 1 naming the first bad event."""
    report = verify_chain(db.session)
    if report.ok:
        click.echo(f"audit chain intact: {report.count} events")
        return
    click.echo(f"audit chain BROKEN at event {report.bad_event_id}: {report.problem} "
               f"({report.count} events verified before it)", err=True)
    sys.exit(1)
