"""The layout holds: dependencies flow one way (import-linter's contracts in pyproject.toml), and no module
imports another inside a function to dodge a cycle."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _function_imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name == "ready":  # AppConfig.ready(): the apps' models are loaded only then
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("kadans"):
                    yield f"{path.relative_to(ROOT)}:{inner.lineno} {inner.module}"
                elif isinstance(inner, ast.Import) and any(a.name.startswith("kadans") for a in inner.names):
                    yield f"{path.relative_to(ROOT)}:{inner.lineno}"


def test_no_module_of_kadans_is_imported_inside_a_function():
    found = [
        line for path in sorted((ROOT / "kadans").rglob("*.py")) if "migrations" not in path.parts
        for line in _function_imports(path)
    ]
    assert found == []
