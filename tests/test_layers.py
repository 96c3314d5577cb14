"""Issue 21: STYLE.md's import direction holds — `common` ← `orgs` ← `campaigns` ← `registrations` ← `reports` ←
`appraisals` ← `coverage`, `exchange` ← `api`; `common` imports no domain app; the services (`documents`,
`notifications`, `signatures`) call no workflow app; a name starting with `_` is not imported from another module.
Read from the source with `ast`, so a new upward import fails here before a reviewer has to find it."""

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "sangtao"
ORDER = ["common", "orgs", "accounts", "campaigns", "registrations", "reports", "appraisals", "coverage", "exchange"]
TOP = {"dashboard", "api"}  # faces that read every app; nothing imports them
SERVICES = {"documents", "notifications", "signatures"}  # any app may call them; they call only common and orgs


def imports():
    """(importing app, imported app, imported names, file, line) for every absolute `sangtao.*` import outside
    migrations."""
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).parts
        if len(parts) < 2 or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [(node.module, [a.name for a in node.names])]
            elif isinstance(node, ast.Import):
                found = [(a.name, []) for a in node.names]
            else:
                continue
            for module, names in found:
                if module.startswith("sangtao.") and module.split(".")[1] != parts[0]:
                    yield parts[0], module.split(".")[1], names, path.relative_to(SOURCE), node.lineno


def test_imports_point_one_way():
    rank = {app: i for i, app in enumerate(ORDER)}
    found = list(imports())
    assert len(found) > 200  # the scan reads the apps' imports
    wrong = []
    for app, target, _names, path, line in found:
        if target in TOP:
            wrong.append(f"{path}:{line} imports {target}, which nothing may import")
        elif app == "common" and target != "common":
            wrong.append(f"{path}:{line}: common imports {target}")
        elif app in SERVICES and target in rank and target not in {"common", "orgs"}:
            wrong.append(f"{path}:{line}: the service {app} imports the workflow app {target}")
        elif app in rank and target in rank and rank[target] > rank[app]:
            wrong.append(f"{path}:{line}: {app} imports {target}, which comes after it")
    assert wrong == []


def test_no_private_name_is_imported_from_another_app():
    wrong = [
        f"{path}:{line} imports {name} from {target}"
        for _app, target, names, path, line in imports()
        for name in names
        if name.startswith("_")
    ]
    assert wrong == []
