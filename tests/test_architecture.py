"""The layout's promises: the domain imports no orchestration or validation framework, every SQL model
file is run by a pipeline, and every parameter the SQL binds comes from the one config."""

from __future__ import annotations

import ast
from pathlib import Path

from dtoc.model.database import PARAMETER, SQL_DIR
from dtoc.model.pipeline import MODEL_ORDER
from dtoc.monitor.comparison import MONITORING_MODELS
from dtoc.scenarios.sweep import SCENARIO_MODELS

DOMAIN = Path(__file__).resolve().parents[1] / "dtoc"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_domain_imports_neither_prefect_nor_great_expectations():
    offenders = {
        path.name: sorted(imported_modules(path) & {"prefect", "great_expectations", "flows", "expectations"})
        for path in DOMAIN.rglob("*.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_every_sql_model_is_run_and_exists():
    files = {path.stem for path in SQL_DIR.glob("*.sql")}
    assert files == set(MODEL_ORDER) | set(MONITORING_MODELS) | set(SCENARIO_MODELS)


def test_expectation_models_bind_only_config_parameters(config):
    used = {name for model in MODEL_ORDER for name in PARAMETER.findall((SQL_DIR / f"{model}.sql").read_text())}
    assert used and used <= set(config.sql_parameters())


def test_thresholds_are_written_only_in_the_parameters_file(config):
    thresholds = {
        config.band_policy("nhs").target_rate,
        config.band_policy("nhs").upper_rate,
        config.band_policy("asc").target_rate,
        config.band_policy("asc").upper_rate,
    }
    for path in SQL_DIR.glob("*.sql"):
        code = "\n".join(line.split("--")[0] for line in path.read_text(encoding="utf-8").splitlines())
        assert not [t for t in thresholds if f"{t:g}" in code], f"{path.name} writes a threshold"
    for path in DOMAIN.rglob("*.py"):
        constants = {
            node.value
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, float)
        }
        assert not constants & thresholds, f"{path.name} writes a threshold"


def test_sql_lives_in_sql_and_every_query_is_used():
    """Queries over finished runs live in sql/queries/, one file each, and each is run by name somewhere."""
    queries = {path.stem for path in (SQL_DIR / "queries").glob("*.sql")}
    code = "\n".join(path.read_text(encoding="utf-8") for path in DOMAIN.rglob("*.py"))
    assert queries and {name for name in queries if f'"{name}"' not in code} == set()
    multi_line_sql = [
        path.name for path in DOMAIN.rglob("*.py") if "union all select" in path.read_text(encoding="utf-8").lower()
    ]
    assert multi_line_sql == []


# The layers of dtoc, bottom up: a module may import from its own layer and those below, never from above, not
# even inside a function. The commands' compositions are the top.
LAYERS = {
    "dtoc.errors": 0,
    "dtoc.paths": 0,
    "dtoc.periods": 0,
    "dtoc.vocabulary": 0,
    "dtoc.plan": 0,
    "dtoc.processes": 0,
    "dtoc.config": 1,
    "dtoc.ingest": 2,
    "dtoc.model": 3,
    "dtoc.publish": 4,
    "dtoc.preflight": 4,
    "dtoc.audit": 5,
    "dtoc.report": 6,
    "dtoc.monitor": 7,
    "dtoc.assure": 7,
    "dtoc.scenarios": 7,
    "dtoc.commands": 8,
    "dtoc.api": 9,
    "dtoc.api_read": 9,
}
PACKAGES = ("dtoc", "expectations", "flows")


def module_name(path: Path, root: Path) -> str:
    name = ".".join(path.relative_to(root).with_suffix("").parts)
    return name.removesuffix(".__init__")


def layer_of(module: str) -> int | None:
    found = [prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")]
    return LAYERS[max(found, key=len)] if found else None


def imports_of(path: Path) -> list[str]:
    """Every module path imports, anywhere in it (inside functions too), as written."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def test_no_module_of_dtoc_imports_from_a_layer_above_it():
    root = DOMAIN.parent
    upward = [
        f"{module_name(path, root)} imports {name}"
        for path in DOMAIN.rglob("*.py")
        for name in imports_of(path)
        if name.startswith("dtoc.")
        and (mine := layer_of(module_name(path, root))) is not None
        and (theirs := layer_of(name)) is not None
        and theirs > mine
    ]
    assert upward == []
    assert {p.name for p in DOMAIN.iterdir() if p.is_dir() and p.name != "__pycache__"} - {
        name.split(".")[1] for name in LAYERS if name.count(".") == 1
    } <= {"reference", "sql"}, "a package of dtoc has no layer"


def test_no_import_circles():
    root = DOMAIN.parent
    paths = {module_name(p, root): p for package in PACKAGES for p in (root / package).rglob("*.py")}
    graph = {m: {n for n in imports_of(p) if n in paths and n != m} for m, p in paths.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()] - seen:
                if nxt == goal:
                    return True
                seen.add(nxt)
                todo.append(nxt)
        return False

    assert [m for m in graph if reaches(m, m)] == []
