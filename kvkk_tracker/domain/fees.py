"""The Tebliğ Art. 7 fee for a written reply (KVKK.md §4).

Up to `free_pages` pages the reply is free; each page above may cost `per_page`, which the
Tebliğ caps at 1 TL. A reply on a recording medium may cost at most the medium. A fee is
refunded when the application arose from the controller's own error. How a fee is collected
is UNCONFIRMED, so the default per-page fee is 0 (a setting).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

TEBLIG_PAGE_FEE_CAP = Decimal("1.00")
TEBLIG_FREE_PAGES = 10


class FeeError(ValueError):
    pass


@dataclass(frozen=True)
class FeePolicy:
    free_pages: int = TEBLIG_FREE_PAGES
    per_page: Decimal = Decimal("0")

    def __post_init__(self):
        if self.free_pages < TEBLIG_FREE_PAGES:
            raise FeeError("the Tebliğ makes the first ten pages free")
        if not Decimal("0") <= self.per_page <= TEBLIG_PAGE_FEE_CAP:
            raise FeeError("the Tebliğ caps the fee at 1 TL per page above ten")


@dataclass(frozen=True)
class Fee:
    pages: int
    chargeable_pages: int
    page_fee: Decimal
    medium_fee: Decimal
    total: Decimal
    refunded: bool  # the application arose from the controller's error

    @property
    def payable(self) -> Decimal:
        return Decimal("0.00") if self.refunded else self.total

    @property
    def free(self) -> bool:
        return self.total == 0


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def assess_fee(pages: int, policy: FeePolicy | None = None, *,
               medium_cost: Decimal | None = None, controller_error: bool = False) -> Fee:
    """Return the fee for a reply of `pages` pages, plus the medium it is delivered on, if any."""
    if pages < 1:
        raise FeeError("a reply has at least one page")
    if medium_cost is not None and medium_cost < 0:
        raise FeeError("a medium cannot cost less than nothing")
    policy = policy or FeePolicy()
    chargeable = max(0, pages - policy.free_pages)
    page_fee = _money(policy.per_page * chargeable)
    medium_fee = _money(medium_cost or Decimal("0"))
    return Fee(pages, chargeable, page_fee, medium_fee, _money(page_fee + medium_fee),
               controller_error)


def format_tl(amount: Decimal) -> str:
    """Format an amount the Turkish way: 1.234,50 TL."""
    whole, _, cents = f"{_money(amount):,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{cents} TL"
