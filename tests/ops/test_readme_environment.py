"""The operator's runbook lists every environment variable Kadans reads, so that it cannot fall behind the
settings: README.md, the table under "Production" (and the security variables under "Security and
accounts")."""

import ast
import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED_IN = ("Production", "Security and accounts")


def _readme_sections() -> dict[str, str]:
    text = (ROOT / "README.md").read_text()
    sections = re.split(r"(?m)^## ", text)[1:]
    return {section.partition("\n")[0].strip(): section for section in sections}


def _table_variables(section: str) -> set[str]:
    """The names in the first column of every table whose first header is `variable`."""
    names: set[str] = set()
    in_table = False
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells is None:
            in_table = False
        elif cells[0] == "variable":
            in_table = True
        elif in_table:
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[0]))
    return names


def documented_variables() -> set[str]:
    sections = _readme_sections()
    return set().union(*(_table_variables(sections[name]) for name in DOCUMENTED_IN if name in sections))


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ")


@functools.cache
def read_variables() -> dict[str, str]:
    """Each variable the code reads (settings' env_* helpers, os.environ, os.getenv), with where."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "kadans").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            name = None
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                if isinstance(func, ast.Name) and func.id.startswith("env_"):
                    name = _literal(node.args[0])
                elif isinstance(func, ast.Attribute) and (
                    (func.attr == "get" and _is_environ(func.value))
                    or (func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os")
                ):
                    name = _literal(node.args[0])
            elif isinstance(node, ast.Subscript) and _is_environ(node.value):
                name = _literal(node.slice)
            if name:
                found.setdefault(name, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_scan_finds_the_settings_variables():
    read = read_variables()
    assert {"DATABASE_URL", "SECRET_KEY", "KADANS_BASE_URL", "CONN_MAX_AGE", "SECURE_PROXY_SSL_HEADER"} <= set(read)
    assert read["KADANS_BASE_URL"].startswith("kadans/settings.py:")


def test_every_variable_read_is_in_the_readme():
    missing = {name: where for name, where in read_variables().items() if name not in documented_variables()}
    assert not missing, f"add these to README.md, Production, 'Environment variables': {missing}"


def test_the_production_table_lists_no_variable_that_nothing_reads():
    production = _table_variables(_readme_sections()["Production"])
    assert len(production) > 20
    assert not production - set(read_variables())
