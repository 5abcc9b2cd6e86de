"""The import contract: DEVELOPERS.md's table "Modules: the import contract" is read here and
every module under feeds/ is held to its row, so the table is always the house as built.

The rules, as the text above the table gives them:
- a row names a module (`model`, `render/rss_atom`) or every module of a package (`lint/`);
  the most specific row applies (`render/rss_atom` before `render/`), and every module under
  feeds/ has one (the root `feeds/__init__.py`, which hands on `__version__`, may do without:
  it then imports nothing of feeds and no third-party library);
- naming a package (`lint`, `render`) allows its modules, naming a module (`render.rules`)
  that one only; a module of a package may import its own package; the root `feeds` is
  allowed everywhere; the standard library always is; a third-party library must be named;
- floors go up: a row names only rows above it, so no import runs back up;
- a name in "may import" is a module of feeds or an installed library (a typo is neither).
Every `import` and `from ... import` counts, at the top of a module, in a function or under
`if TYPE_CHECKING:`; relative imports are resolved.

Sizes: no module in feeds/ over 500 lines, no function or method over 80.

The checkers are functions of the table's text and the sources (`check_imports`,
`check_sizes`), so the tests below also show them failing on copies of the sources with one
forbidden import put in.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "feeds"
DEVELOPERS = ROOT / "DEVELOPERS.md"
SECTION = "## Modules: the import contract"
HEADER = ("module", "owns", "may import")
ROOT_INIT = "__init__.py"

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


# --- the checker --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str  # `model`, `render/rss_atom`, or `lint/` for every module of a package
    allows: tuple[str, ...]  # as written: `model`, `render.rules`, `lint`, `feedgen`
    order: int  # its place in the table, from 0


def parse_table(document: str) -> dict[str, Row]:
    """The rows of the import contract table in `document` (DEVELOPERS.md's text), by key.
    Raises ValueError when the section, the table or a row is not as expected."""
    start = document.find(SECTION)
    if start < 0:
        raise ValueError(f"no section {SECTION!r}")
    section = document[start + len(SECTION) :]
    end = section.find("\n## ")
    lines = [line.strip() for line in section[: end if end >= 0 else None].splitlines()]
    table = [line for line in lines if line.startswith("|")]
    if len(table) < 3:
        raise ValueError("the section has no table")
    header, separator, *body = (_cells(line) for line in table)
    if tuple(header) != HEADER or not all(set(cell) <= set("-: ") for cell in separator):
        raise ValueError(f"the table's header is not {' | '.join(HEADER)}: {table[0]}")
    rows: dict[str, Row] = {}
    for order, (line, cells) in enumerate(zip(table[2:], body, strict=True)):
        if len(cells) != 3:
            raise ValueError(f"not three cells: {line}")
        match = re.fullmatch(r"`([^`]+)`", cells[0])
        if match is None:
            raise ValueError(f"the module is not one `name`: {line}")
        allows = tuple(re.findall(r"`([^`]+)`", cells[2]))
        if re.sub(r"`[^`]+`", "", cells[2]).strip(" ,"):
            raise ValueError(f"'may import' is not a list of `names`: {line}")
        key = match[1]
        if key in rows:
            raise ValueError(f"two rows for `{key}`")
        rows[key] = Row(key, allows, order)
    return rows


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def module_names(sources: dict[str, str]) -> dict[str, str]:
    """Dotted name -> path (relative to feeds/) of every module in `sources`."""
    names = {}
    for path in sources:
        parts = path.removesuffix(".py").split("/")
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(["feeds", *parts])] = path
    return names


def row_keys(path: str) -> list[str]:
    """The keys of the rows that may cover the module at `path`, most specific first:
    `render/rss_atom.py` -> `render/rss_atom`, `render/`; `render/__init__.py` ->
    `render/__init__`, `render`, `render/`."""
    parts = path.removesuffix(".py").split("/")
    keys = ["/".join(parts)]
    if parts[-1] == "__init__" and len(parts) > 1:
        keys.append("/".join(parts[:-1]))
    keys += ["/".join(parts[:n]) + "/" for n in range(len(parts) - 1, 0, -1)]
    return keys


def row_of(path: str, rows: dict[str, Row]) -> Row | None:
    return next((rows[key] for key in row_keys(path) if key in rows), None)


def imports_of(path: str, source: str) -> list[tuple[int, str, bool]]:
    """(line, name, sure) of everything the module at `path` imports, anywhere in it: the
    module's dotted name (relative imports resolved; `sure`), and for `from A import B` also
    A.B (not `sure`: a module when one by that name exists, else a name defined in A)."""
    parts = ["feeds", *path.removesuffix(".py").split("/")]
    package = parts[:-1]  # of `render/__init__.py`: feeds.render itself
    found: list[tuple[int, str, bool]] = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, True) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                if node.level > len(package):
                    raise ValueError(f"feeds/{path}:{node.lineno}: relative import beyond feeds")
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([module] if module else [])])
            found.append((node.lineno, module, True))
            found += [(node.lineno, f"{module}.{alias.name}", False) for alias in node.names]
    return sorted(set(found))


def check_imports(document: str, sources: dict[str, str]) -> list[str]:
    """Every breach of the import contract in `document` (DEVELOPERS.md's text) by `sources`
    (path relative to feeds/ -> source of every module of the package), one line each."""
    rows = parse_table(document)
    names = module_names(sources)
    problems = []
    for path, source in sorted(sources.items()):
        row = row_of(path, rows)
        if row is None and path != ROOT_INIT:
            problems.append(f"feeds/{path}: no row in the import contract table")
            continue
        problems += _breaches(path, source, row, names)
    covered = {row_of(path, rows) for path in sources}
    problems += [
        f"row `{key}`: no such module in feeds/" for key, r in rows.items() if r not in covered
    ]
    problems += _floors(rows, names)
    problems += [
        f"row `{row.key}` names `{name}`: neither a module of feeds nor an installed library"
        for row in rows.values()
        for name in row.allows
        if "feeds." + name not in names
        and ("." in name or name in sys.stdlib_module_names or find_spec(name) is None)
    ]
    return problems


def _breaches(path: str, source: str, row: Row | None, names: dict[str, str]) -> list[str]:
    allows = row.allows if row is not None else ()
    where = f"the row `{row.key}`" if row is not None else "the root package (no row)"
    own = ""  # the package this module belongs to (not the root: it would allow everything)
    parts = path.removesuffix(".py").split("/")
    if len(parts) > 1:
        own = "feeds." + ".".join(parts[:-1])
    feeds_allows = ["feeds." + name for name in allows if "feeds." + name in names]
    libraries = {name for name in allows if "feeds." + name not in names}
    problems = []
    seen: set[tuple[int, str]] = set()
    for line, name, sure in imports_of(path, source):
        top = name.split(".")[0]
        if top == "feeds":
            if name != "feeds" and name not in names:
                if sure:
                    problems.append(f"feeds/{path}:{line} imports {name}: no such module")
                continue  # `from A import B`, B a name defined in A (A is checked itself)
            if name == "feeds" or (own and (name == own or name.startswith(own + "."))):
                continue
            if any(name == a or name.startswith(a + ".") for a in feeds_allows):
                continue
            shown = name
        else:
            if top in sys.stdlib_module_names or top in libraries:
                continue
            shown = top
        if (line, shown) not in seen:
            seen.add((line, shown))
            problems.append(f"feeds/{path}:{line} imports {shown}, which {where} does not allow")
    return problems


def _floors(rows: dict[str, Row], names: dict[str, str]) -> list[str]:
    """Rows that name a module of feeds whose row is not above them."""
    problems = []
    for row in rows.values():
        for name in row.allows:
            path = names.get("feeds." + name)
            if path is None:
                continue  # a third-party library
            below = row_of(path, rows)
            if below is None or below.order >= row.order:
                problems.append(
                    f"row `{row.key}` names `{name}`, whose row "
                    f"{'is missing' if below is None else f'`{below.key}` is not above it'}"
                )
    return problems


def check_sizes(sources: dict[str, str]) -> list[str]:
    """Modules over MAX_MODULE_LINES lines, functions and methods over MAX_FUNCTION_LINES
    (from `def` to their last line, nested functions counted on their own too)."""
    problems = []
    for path, source in sorted(sources.items()):
        lines = len(source.splitlines())
        if lines > MAX_MODULE_LINES:
            problems.append(f"feeds/{path}: {lines} lines (at most {MAX_MODULE_LINES})")
        for qualname, node in _functions(ast.parse(source, filename=path)):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                problems.append(
                    f"feeds/{path}:{node.lineno} {qualname}: {length} lines "
                    f"(at most {MAX_FUNCTION_LINES})"
                )
    return problems


Function = ast.FunctionDef | ast.AsyncFunctionDef


def _functions(node: ast.AST, prefix: str = "") -> list[tuple[str, Function]]:
    found: list[tuple[str, Function]] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = prefix + child.name
            if not isinstance(child, ast.ClassDef):
                found.append((name, child))
            found += _functions(child, name + ".")
        else:
            found += _functions(child, prefix)
    return found


def real_sources() -> dict[str, str]:
    return {
        path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def real_document() -> str:
    return DEVELOPERS.read_text(encoding="utf-8")


# --- the house as built -------------------------------------------------------------------


def test_every_module_imports_only_what_its_row_in_developers_md_allows() -> None:
    problems = check_imports(real_document(), real_sources())
    assert problems == [], "the import contract (DEVELOPERS.md) is broken:\n" + "\n".join(problems)


def test_no_module_or_function_is_too_long() -> None:
    problems = check_sizes(real_sources())
    assert problems == [], "split by concern (DEVELOPERS.md, Sizes to watch):\n" + "\n".join(
        problems
    )


def test_the_real_table_says_what_its_text_says() -> None:
    """What the table's bold text claims: one module imports feedgen, one feedparser."""
    rows = parse_table(real_document())
    assert [key for key, row in rows.items() if "feedgen" in row.allows] == ["render/rss_atom"]
    assert [key for key, row in rows.items() if "feedparser" in row.allows] == [
        "validate/xml_reader"
    ]
    assert rows["model"].allows == ()  # the floor


# --- the checker fails where it should ----------------------------------------------------


def with_line(sources: dict[str, str], path: str, line: str) -> dict[str, str]:
    """A copy of `sources` whose module `path` starts with `line` (line 1)."""
    return {**sources, path: line + "\n" + sources[path]}


def with_appended(sources: dict[str, str], path: str, text: str) -> tuple[dict[str, str], int]:
    """A copy of `sources` with `text` after the end of `path`; the line `text` starts on."""
    start = len(sources[path].splitlines()) + 1
    return {**sources, path: sources[path].rstrip("\n") + "\n" + text}, start


def added(document: str, sources: dict[str, str], changed: dict[str, str]) -> list[str]:
    """What the checker reports for `changed` and not for `sources` (the real tree, checked
    on its own above), after checking that it still reports everything it did."""
    before = check_imports(document, sources)
    after = check_imports(document, changed)
    assert [problem for problem in before if problem not in after] == []
    return [problem for problem in after if problem not in before]


@pytest.fixture(scope="module")
def document() -> str:
    return real_document()


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return real_sources()


@pytest.mark.parametrize(
    ("path", "line", "expected"),
    [
        (
            "render/rules.py",
            "import feedparser",
            "feeds/render/rules.py:1 imports feedparser, which the row `render/` does not allow",
        ),
        (
            "plan.py",
            "from feeds.build import build_site",
            "feeds/plan.py:1 imports feeds.build, which the row `plan` does not allow",
        ),
        (  # the row names render.rules only, not the package
            "validate/check.py",
            "from feeds.render.budget import fit_to_budget",
            "feeds/validate/check.py:1 imports feeds.render.budget, which the row "
            "`validate/` does not allow",
        ),
        (
            "validate/check.py",
            "from feeds.render import fit_feed",
            "feeds/validate/check.py:1 imports feeds.render, which the row `validate/` "
            "does not allow",
        ),
        (  # feedgen is allowed in render/rss_atom only: the most specific row applies
            "render/json_feed.py",
            "import feedgen.feed",
            "feeds/render/json_feed.py:1 imports feedgen, which the row `render/` does not allow",
        ),
        (  # the root package may be imported everywhere; its modules may not
            "model.py",
            "from feeds import build",
            "feeds/model.py:1 imports feeds.build, which the row `model` does not allow",
        ),
        (  # relative imports are resolved: from feeds/render/, `..` is feeds
            "render/budget.py",
            "from ..cache import load_cache",
            "feeds/render/budget.py:1 imports feeds.cache, which the row `render/` does not allow",
        ),
        (
            "lint/rss.py",
            "from .. import cache",
            "feeds/lint/rss.py:1 imports feeds.cache, which the row `lint/` does not allow",
        ),
        (
            "cli.py",
            "import feeds.nothing",
            "feeds/cli.py:1 imports feeds.nothing: no such module",
        ),
        (
            "__init__.py",
            "import yaml",
            # the root has a row since issue 18 (the front door `feeds.build_site`)
            "feeds/__init__.py:1 imports yaml, which the row `__init__` does not allow",
        ),
    ],
)
def test_a_forbidden_import_is_reported_alone(
    document: str, sources: dict[str, str], path: str, line: str, expected: str
) -> None:
    assert added(document, sources, with_line(sources, path, line)) == [expected]


def test_a_relative_import_of_a_sibling_of_its_own_package_is_allowed(
    document: str, sources: dict[str, str]
) -> None:
    changed = with_line(sources, "lint/rss.py", "from . import rules\nfrom .atom import lint_atom")
    assert added(document, sources, changed) == []


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("model.py", "from feeds import __version__"),  # the root: allowed everywhere
        ("model.py", "import json, zoneinfo"),  # the standard library
        ("render/rss_atom.py", "import feedgen.entry"),  # named in its own row
        ("render/json_feed.py", "from feeds.render.rules import self_url"),  # own package
        ("render/__init__.py", "from feeds.render import rules"),  # its own package
        ("validate/site.py", "from feeds.render.rules import ContentFn"),  # named module
        ("validate/site.py", "from feeds.lint.rss import lint_rss"),  # a module of a package
        ("cli.py", "import feeds.validate.xml_reader"),  # a package's module, dotted
    ],
)
def test_what_the_rules_allow_is_not_reported(
    document: str, sources: dict[str, str], path: str, line: str
) -> None:
    assert added(document, sources, with_line(sources, path, line)) == []


def test_imports_in_functions_and_type_checking_blocks_count(
    document: str, sources: dict[str, str]
) -> None:
    changed, start = with_appended(
        sources,
        "plan.py",
        "def later() -> None:\n"
        "    import feedparser\n"
        "\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from feeds.cache import BuildCache\n",
    )
    assert added(document, sources, changed) == [
        f"feeds/plan.py:{start + 1} imports feedparser, which the row `plan` does not allow",
        f"feeds/plan.py:{start + 5} imports feeds.cache, which the row `plan` does not allow",
    ]


def test_a_module_without_a_row_is_reported(document: str, sources: dict[str, str]) -> None:
    changed = {**sources, "extra.py": '"""A module nobody put in the table."""\n'}
    assert added(document, sources, changed) == [
        "feeds/extra.py: no row in the import contract table"
    ]
    package = {**sources, "export/__init__.py": "", "export/wxr.py": "import json\n"}
    assert added(document, sources, package) == [
        "feeds/export/__init__.py: no row in the import contract table",
        "feeds/export/wxr.py: no row in the import contract table",
    ]


def test_a_row_for_a_module_that_does_not_exist_is_reported(
    document: str, sources: dict[str, str]
) -> None:
    changed = {path: text for path, text in sources.items() if path != "__main__.py"}
    assert added(document, sources, changed) == ["row `__main__`: no such module in feeds/"]


def test_a_row_naming_a_row_below_it_is_reported(sources: dict[str, str]) -> None:
    table = (
        "## Modules: the import contract\n\n"
        "| module | owns | may import |\n| --- | --- | --- |\n"
        "| `model` | records | `layout` |\n"
        "| `layout` | paths | |\n"
    )
    problems = check_imports(table, {"model.py": "", "layout.py": ""})
    assert problems == ["row `model` names `layout`, whose row `layout` is not above it"]


def test_a_name_that_is_neither_a_module_nor_a_library_is_reported() -> None:
    table = (
        "## Modules: the import contract\n\n"
        "| module | owns | may import |\n| --- | --- | --- |\n"
        "| `model` | records | |\n"
        "| `config` | settings | `model`, `modle`, `yaml`, `json`, `render.rules` |\n"
    )
    problems = check_imports(table, {"model.py": "", "config.py": ""})
    assert problems == [
        f"row `config` names `{name}`: neither a module of feeds nor an installed library"
        for name in ("modle", "json", "render.rules")
    ]


def test_a_package_row_covers_its_modules_and_a_module_row_is_more_specific() -> None:
    table = (
        "## Modules: the import contract\n\n"
        "| module | owns | may import |\n| --- | --- | --- |\n"
        "| `model` | records | |\n"
        "| `out/` | writers | `model` |\n"
        "| `out/special` | one writer | `model`, `lxml` |\n"
        "## Next\n"
    )
    sources = {
        "model.py": "",
        "out/__init__.py": "from feeds.out.special import write\nfrom feeds import model\n",
        "out/plain.py": "from feeds.model import Article\nfrom lxml import etree\n",
        "out/special.py": "from feeds.model import Article\nfrom lxml import etree\n",
    }
    assert check_imports(table, sources) == [
        "feeds/out/plain.py:2 imports lxml, which the row `out/` does not allow"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("## Other\n", "no section"),
        ("## Modules: the import contract\n\nNo table.\n", "no table"),
        (
            "## Modules: the import contract\n\n| module | may import |\n| --- | --- |\n"
            "| `model` | |\n",
            "header",
        ),
        (
            "## Modules: the import contract\n\n| module | owns | may import |\n"
            "| --- | --- | --- |\n| `model` | records | layout |\n",
            "list of `names`",
        ),
        (
            "## Modules: the import contract\n\n| module | owns | may import |\n"
            "| --- | --- | --- |\n| `model` | a | |\n| `model` | b | |\n",
            "two rows",
        ),
    ],
)
def test_a_table_not_as_the_contract_says_is_an_error(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_table(text)


def function(name: str, lines: int, indent: str = "") -> str:
    """The source of a function `lines` lines long (its `def` line included)."""
    body = "".join(f"{indent}    x{n} = {n}\n" for n in range(lines - 1))
    return f"{indent}def {name}() -> None:\n{body}"


def test_sizes_name_the_module_and_the_function() -> None:
    big = (
        "class Reader:\n"  # line 1
        + function("read", 81, "    ")  # lines 2-82
        + "\n"
        + "def outer() -> None:\n"  # line 84
        + function("inner", 81, "    ")  # lines 85-165: outer is 82 lines long
    )
    fits = function("fine", 80) + "\n" * 420
    sources = {"fits.py": fits, "long.py": "x = 1\n" * 501, "big.py": big}
    assert len(fits.splitlines()) == 500
    assert check_sizes(sources) == [
        "feeds/big.py:2 Reader.read: 81 lines (at most 80)",
        "feeds/big.py:84 outer: 82 lines (at most 80)",
        "feeds/big.py:85 outer.inner: 81 lines (at most 80)",
        "feeds/long.py: 501 lines (at most 500)",
    ]


def test_the_validator_loads_no_writer() -> None:
    """validate/ uses the shared rules only: importing it (and the build's feed files stage)
    must not load feedgen, the writers' library; the writers load when a feed is rendered."""
    import subprocess

    code = (
        "import sys, feeds.validate, feeds.feedfiles;"
        "print(sorted(m for m in sys.modules if m.startswith(('feedgen', 'feeds.render.'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "['feeds.render.rules']"
