"""Staff accounts: creation, password checks with lockout, unlocking, disabling, first-run
admin."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ROLES, User
from . import audit
from .actors import Actor
from .errors import ServiceError

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that timing does not reveal accounts.


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Hash once, on the first unknown e-mail, not at import (argon2 costs ~0.5 s)."""
    return _hasher.hash("not-a-real-password")
MIN_PASSWORD_LENGTH = 12


class UserError(ServiceError):
    def __init__(self, field: str, why: str):
        super().__init__(f"{field}: {why}")
        self.field, self.why = field, why


class LoginFailed(ServiceError):
    """Wrong e-mail or password, a disabled or a locked account: one answer for all."""


class LockedOut(LoginFailed):
    """A locked account. A LoginFailed, so that callers answer it as any other failure: a
    different answer would tell a stranger that the e-mail has an account."""

    def __init__(self, until: datetime):
        super().__init__(f"locked until {until.isoformat()}")
        self.until = until


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_minutes: int = 15


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def create_user(session: Session, actor: Actor, now: datetime, *, email: str, name: str,
                role: str, password: str, title: str | None = None) -> User:
    if role not in ROLES:
        raise UserError("role", "unknown_role")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("password", "too_short")
    email = normalize_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise UserError("email", "exists")
    user = User(email=email, name=name.strip(), title=title, role=role,
                password_hash=hash_password(password), active=True,
                session_token=secrets.token_hex(16), created_at=now)
    session.add(user)
    session.flush()
    audit.record(session, actor, now, "user.created",
                 data={"user_id": user.id, "email": email, "role": role})
    return user


def authenticate(session: Session, email: str, password: str, now: datetime, ip: str | None,
                 policy: LockoutPolicy | None = None) -> User:
    """Return the user for a correct password; count failures and lock after too many."""
    policy = policy or LockoutPolicy()
    user = session.scalar(select(User).where(User.email == normalize_email(email)))
    actor = Actor("public", "login", ip)
    if user is None:
        _verify(_dummy_hash(), password)
        audit.record(session, actor, now, "login.failed", data={"email": email[:254],
                                                                 "why": "unknown"})
        raise LoginFailed()
    if is_locked(user, now):
        # Still hashed, though the outcome is known: skipping argon2 would answer ~0.5 s
        # sooner than for a wrong password and give the lock (and the account) away.
        _verify(user.password_hash, password)
        audit.record(session, actor, now, "login.locked", data={"user_id": user.id})
        raise LockedOut(user.locked_until)
    if not _verify(user.password_hash, password) or not user.active:
        user.failed_logins += 1
        data = {"user_id": user.id, "failures": user.failed_logins}
        if user.failed_logins >= policy.max_failures:
            user.locked_until = now + timedelta(minutes=policy.lock_minutes)
            user.failed_logins = 0
            data["locked_until"] = user.locked_until.isoformat()
        audit.record(session, actor, now, "login.failed", data=data)
        raise LoginFailed()
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(session: Session, user: User, now: datetime, ip: str | None) -> None:
    audit.record(session, Actor("user", str(user.id), ip), now, "login.succeeded",
                 data={"user_id": user.id})


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def set_password(session: Session, actor: Actor, now: datetime, user: User,
                 password: str) -> None:
    """Replace the password, end the user's sessions and lift any lock.

    The lock guards the old password against guessing; once it is replaced there is nothing
    left to guard, and the person given the new one should not have to wait out the lock.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("password", "too_short")
    data: dict = {"user_id": user.id}
    if is_locked(user, now):
        data["unlocked"] = True
        data["locked_until"] = user.locked_until.isoformat()
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_hex(16)
    user.locked_until = None
    user.failed_logins = 0
    audit.record(session, actor, now, "user.password_changed", data=data)


def unlock_user(session: Session, actor: Actor, now: datetime, user: User) -> None:
    """Lift a lock before it runs out, and restart the failure count.

    A lock that has run out (or none) is refused rather than recorded: the audit trail should
    show an unlock only where one changed who could sign in.
    """
    if not is_locked(user, now):
        raise UserError("user", "not_locked")
    locked_until = user.locked_until
    user.locked_until = None
    user.failed_logins = 0
    audit.record(session, actor, now, "user.unlocked",
                 data={"user_id": user.id, "locked_until": locked_until.isoformat()})


def disable_user(session: Session, actor: Actor, now: datetime, user: User) -> None:
    user.active = False
    user.session_token = secrets.token_hex(16)  # ends every open session
    audit.record(session, actor, now, "user.disabled", data={"user_id": user.id})


def ensure_initial_admin(session: Session, now: datetime) -> str | None:
    """Create `admin` with a random password when no user exists; return the password."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    password = secrets.token_urlsafe(18)
    create_user(session, Actor("system", "first-run"), now, email="admin", name="admin",
                role="admin", password=password)
    return password
