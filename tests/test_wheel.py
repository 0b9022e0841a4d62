"""The built wheel works on its own: outside the checkout, with its own migrations,
translations, templates, static files and fonts.

The installed copy runs in a subprocess started with `python -S` and an explicit PYTHONPATH of
<tmp>/site followed by the venv's site-packages. `-S` keeps site.py from reading the editable
install's .pth file, which would put the checkout on sys.path; the checks below then prove that
nothing was imported from the checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TRANSLATIONS = REPO / "kvkk_tracker" / "translations"
TR_MO = "kvkk_tracker/translations/tr/LC_MESSAGES/messages.mo"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")
# Strings on the home page whose Turkish translation must show up there.
HOME_MSGIDS = ("Your rights under KVKK", "Apply online", "Track your application", "Apply")

pytestmark = pytest.mark.slow


def _run(args: list[str], *, cwd: Path, env: dict | None = None, timeout: int = 180):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed ({result.returncode})\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
    return result


def _pip(*args: str, cwd: Path):
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    return _run([sys.executable, "-m", "pip", *args], cwd=cwd, env=env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the wheel from the checkout and install it into <tmp>/site."""
    tmp = tmp_path_factory.mktemp("wheel")
    # The catalogues are git-ignored build products: compile them as `make` does.
    if any(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        _run([str(Path(sys.executable).with_name("pybabel")), "-q", "compile", "-f",
              "-d", str(TRANSLATIONS)], cwd=REPO)
    dist = tmp / "dist"
    _pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist),
         str(REPO), cwd=tmp)
    wheels = list(dist.glob("kvkk_tracker-*.whl"))
    assert len(wheels) == 1, wheels
    site = tmp / "site"
    _pip("install", "--no-deps", "--no-index", "--target", str(site), str(wheels[0]), cwd=tmp)
    return tmp, wheels[0], site


def _env(tmp: Path, site: Path) -> dict:
    venv_site = sysconfig.get_paths()["purelib"]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FLASK_", "KVKK_", "PYTHON", "DATABASE_URL", "SECRET_KEY"))}
    env.update({
        "PYTHONPATH": os.pathsep.join([str(site), venv_site]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "KVKK_INSTANCE_PATH": str(tmp / "instance"),
        "RATELIMIT_ENABLED": "false",
        "SCHEDULER_ENABLED": "false",
    })
    return env


def _python(tmp: Path, site: Path, *args: str):
    # -S: no site.py, so the editable install's .pth never adds the checkout to sys.path.
    return _run([sys.executable, "-S", *args], cwd=tmp, env=_env(tmp, site))


def test_wheel_carries_package_data(installed):
    _tmp, wheel, _site = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "kvkk_tracker/__init__.py",
        "kvkk_tracker/config.py",
        "kvkk_tracker/migrations/env.py",
        "kvkk_tracker/migrations/alembic.ini",
        "kvkk_tracker/migrations/script.py.mako",
        "kvkk_tracker/templates/base.html",
        "kvkk_tracker/templates/public/apply.html",
        "kvkk_tracker/static/css/site.css",
        "kvkk_tracker/fonts/LICENSE-DejaVu.txt",
        *(f"kvkk_tracker/fonts/{font}" for font in FONTS),
    }
    assert expected <= names, sorted(expected - names)
    assert any(n.startswith("kvkk_tracker/migrations/versions/") and n.endswith(".py")
               for n in names)
    assert TR_MO in names, "the compiled Turkish catalogue is missing from the wheel"
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


CHECK_INSTALLED = textwrap.dedent("""
    import gettext, json, sys
    from pathlib import Path

    from markupsafe import escape

    site, repo = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    msgids = json.loads(sys.argv[3])
    import kvkk_tracker
    from kvkk_tracker import create_app

    package = Path(kvkk_tracker.__file__).resolve().parent
    assert package.parent == site, f"imported from {package}, not {site}"
    venv_site = Path(sys.argv[4]).resolve()  # the venv may live inside the checkout


    def from_checkout(module) -> bool:
        path = Path(getattr(module, "__file__", None) or "/").resolve()
        return path.is_relative_to(repo) and not path.is_relative_to(venv_site)


    stray = sorted(name for name, module in list(sys.modules.items()) if from_checkout(module))
    assert not stray, f"modules imported from the checkout: {stray[:20]}"
    assert not [p for p in sys.path if p and Path(p).resolve() == repo], sys.path

    assert (package / "fonts" / "LICENSE-DejaVu.txt").is_file()
    fonts = sorted(p.name for p in (package / "fonts").glob("*.ttf"))
    assert len(fonts) >= 4, fonts
    assert (package / "templates" / "base.html").is_file()
    assert (package / "templates" / "public" / "apply.html").is_file()
    mo = package / "translations" / "tr" / "LC_MESSAGES" / "messages.mo"
    assert mo.is_file(), "no compiled Turkish catalogue in the installed package"
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)

    app = create_app()
    assert Path(app.template_folder).resolve().is_relative_to(package)
    assert Path(app.static_folder).resolve().is_relative_to(package)
    assert Path(app.instance_path).resolve() == Path.cwd().resolve() / "instance"
    client = app.test_client()

    home = client.get("/")
    assert home.status_code == 200, home.status_code
    html = home.get_data(as_text=True)
    assert 'lang="tr"' in html
    translated = {m: catalogue.gettext(m) for m in msgids if catalogue.gettext(m) != m}
    assert translated, "the catalogue translates none of the home page strings"
    missing = {m: t for m, t in translated.items() if str(escape(t)) not in html}
    assert not missing, f"Turkish strings not on the home page: {missing}"

    apply_page = client.get("/apply")
    assert apply_page.status_code == 200, apply_page.status_code
    assert 'name="first_name"' in apply_page.get_data(as_text=True)

    css = client.get("/static/css/site.css")
    assert css.status_code == 200, css.status_code
    assert css.mimetype == "text/css" and len(css.data) > 100
    css.close()

    created = client.post("/api/v1/requests", json={
        "first_name": "Işıl", "last_name": "Çağlayan", "nationality": "TR",
        "tckn": "17291716060", "address": "Çankaya/Ankara", "email": "isil@example.com.tr",
        "relationship": "customer", "rights": ["a"], "subject": "Verilerim",
        "reply_channel": "email", "declaration": True})
    assert created.status_code == 201, created.get_data(as_text=True)
    print(json.dumps({"package": str(package), "translated": translated, "fonts": fonts}))
""")


def test_installed_wheel_runs_outside_the_checkout(installed):
    tmp, _wheel, site = installed
    instance = tmp / "instance"

    _python(tmp, site, "-m", "flask", "--app", "kvkk_tracker:create_app", "db", "upgrade")
    assert (instance / "kvkk.db").is_file(), "db upgrade did not create <instance>/kvkk.db"
    assert not (site / "kvkk_tracker" / "instance").exists()

    result = _python(tmp, site, "-c", CHECK_INSTALLED, str(site), str(REPO),
                     json.dumps(HOME_MSGIDS), sysconfig.get_paths()["purelib"])
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(report["package"]).is_relative_to(site.resolve())
