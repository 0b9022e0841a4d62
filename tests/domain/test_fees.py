from decimal import Decimal

import pytest

from kvkk_tracker.domain.fees import FeeError, FeePolicy, assess_fee, format_tl

ONE_TL = FeePolicy(per_page=Decimal("1"))


@pytest.mark.parametrize(("pages", "policy", "medium", "error", "total", "payable"), [
    (1, None, None, False, "0.00", "0.00"),
    (10, None, None, False, "0.00", "0.00"),
    (11, None, None, False, "0.00", "0.00"),  # default fee 0: collection is UNCONFIRMED
    (10, ONE_TL, None, False, "0.00", "0.00"),
    (11, ONE_TL, None, False, "1.00", "1.00"),
    (25, ONE_TL, None, False, "15.00", "15.00"),
    (11, FeePolicy(per_page=Decimal("0.50")), None, False, "0.50", "0.50"),
    (3, ONE_TL, Decimal("12.5"), False, "12.50", "12.50"),  # the medium, at cost
    (12, ONE_TL, Decimal("10"), False, "12.00", "12.00"),
    (11, ONE_TL, None, True, "1.00", "0.00"),  # the controller's error: refunded
])
def test_fee_table(pages, policy, medium, error, total, payable):
    fee = assess_fee(pages, policy, medium_cost=medium, controller_error=error)
    assert fee.total == Decimal(total)
    assert fee.payable == Decimal(payable)
    assert fee.refunded is error


def test_chargeable_pages_start_after_the_tenth():
    assert assess_fee(10, ONE_TL).chargeable_pages == 0
    assert assess_fee(11, ONE_TL).chargeable_pages == 1


@pytest.mark.parametrize("policy", [
    dict(per_page=Decimal("1.01")), dict(per_page=Decimal("-1")), dict(free_pages=9)])
def test_policy_stays_within_the_teblig(policy):
    with pytest.raises(FeeError):
        FeePolicy(**policy)


def test_no_reply_of_zero_pages():
    with pytest.raises(FeeError):
        assess_fee(0)


@pytest.mark.parametrize(("amount", "text"), [
    (Decimal("0"), "0,00 TL"), (Decimal("1"), "1,00 TL"), (Decimal("1234.5"), "1.234,50 TL")])
def test_format_tl(amount, text):
    assert format_tl(amount) == text
