"""HTML pages from Jinja2 templates (dtoc/report/templates/), autoescaped, self-contained.

Every page extends `base.html.j2`, which inlines the one shared stylesheet `style.css`: no page loads
anything from elsewhere, so each opens offline and can be mailed as one file. Rendering is deterministic.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TEMPLATES_DIR = Path(__file__).with_name("templates")


@lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment: autoescape on for every template, undefined names are errors."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(template: str, **context: object) -> str:
    """The page `template` rendered with context (values are escaped unless marked safe)."""
    return environment().get_template(template).render(**context)


def write_page(path: Path, template: str, **context: object) -> Path:
    """render_page written to path as UTF-8."""
    path.write_bytes(render_page(template, **context).encode("utf-8"))
    return path
