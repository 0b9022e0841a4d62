from ..office.labels import TEMPLATE_HELPERS
from . import evidence, exports, registers, reports  # noqa: F401  (route modules register on `bp`)
from .blueprint import bp


@bp.context_processor
def _labels():
    return TEMPLATE_HELPERS


__all__ = ["bp"]
