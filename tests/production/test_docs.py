"""docs/deployment.md names every environment variable config.py reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_deployment_guide_lists_every_setting():
    source = (ROOT / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env_(?:str|bool|int)\(\s*"([A-Z0-9_]+)"', source))
    read |= {"KVKK_ENV", "KVKK_INSTANCE_PATH"}  # read by config_class() and create_app()
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    named = set(re.findall(r"[A-Z][A-Z0-9_]{2,}", guide))
    # A row may abbreviate a family: `KVKK_RATELIMIT_APPLY`, `_STATUS`, ...
    families = set()
    for line in guide.splitlines():
        first = re.search(r"`([A-Z][A-Z0-9_]*_)[A-Z0-9]+`", line)
        if first:
            families |= {first.group(1) + short for short in re.findall(r"`_([A-Z0-9_]+)`", line)}
    assert sorted(read - named - families) == []
