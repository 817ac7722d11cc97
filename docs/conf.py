"""Sphinx configuration: Markdown pages (MyST) and the API reference from the docstrings.

Build (what CI runs; warnings, including broken references, are errors)::

    sphinx-build -W -n --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import logging
import sys
import types
from typing import Any

from sphinx.pycode import ModuleAnalyzer

import dwangsom

project = "dwangsom"
author = "the dwangsom authors"
copyright = "the dwangsom authors, MIT licence"
release = version = dwangsom.__version__

# myst_nb is myst_parser plus notebooks: the audit notebook (committed without outputs) is
# executed at build time and rendered with its tables and charts.
extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
]
source_suffix = {".md": "myst-nb", ".rst": "restructuredtext", ".ipynb": "myst-nb"}
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "examples/**/*.ipynb"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]
# Optional pages (the projection, the examples) are picked up by a toctree glob when they exist;
# an empty glob for them is no error (Sphinx's own suppress_warnings cannot name this warning).
OPTIONAL_GLOBS = ("'projection*'", "'examples/index*'", "'examples/*'")

# The API reference: signatures with types, members in source order.
autodoc_default_options = {
    "members": True,
    "undoc-members": True,
    "member-order": "bysource",
    "show-inheritance": True,
}
autodoc_typehints = "signature"
autodoc_preserve_defaults = False

# Broken references to dwangsom's own objects fail the build (-n). Types from other libraries
# cannot be resolved offline (no intersphinx downloads in CI), so they are not checked.
nitpick_ignore_regex = [
    (r"py:.*", r"(np|npt|numpy|pd|pandas|matplotlib|datetime|_dt|collections|typing|os)(\..*)?"),
    (r"py:.*", r"(Axes|Figure|DataFrame|Series|Index|Timestamp|PeriodIndex|DatetimeIndex)"),
    (r"py:.*", r"(Days|Ints|Bools|DateLike|Any|Literal|Callable|Sequence|Mapping|Iterable)"),
    (r"py:.*", r"(Iterator|TextIO|NoReturn|Path|PathLike|date|ndarray|NDArray|datetime64)"),
    (r"py:.*", r"(argparse|contextlib|pathlib|io|importlib|concurrent)\..*"),
    (r"py:.*", r"tuple\[.*|tables\..*|dwangsom\.tables\.Row"),  # unevaluated annotations
    (r"py:.*", r"(dwangsom\.)?_dates\..*"),  # internal: docstrings may name it, the API omits it
    (r"py:.*", r"(Dialect|export\.Dialect|IO|Collection)"),
]

html_theme = "alabaster"
html_title = "dwangsom"
html_static_path: list[str] = []


def _resolve_reexports(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve ``dwangsom.assess`` (and a bare name a module imported, like ``TableError``) to
    the module that defines the object, ``dwangsom.cases.assess``, where autodoc documents it."""
    if node.get("refdomain") != "py":
        return None
    target = str(node.get("reftarget", ""))
    if target.startswith("dwangsom."):
        owner: Any = dwangsom
        parts = target.split(".")[1:]
    else:
        owner = sys.modules.get(str(node.get("py:module") or ""))
        parts = target.split(".")
        # a bare name in a part of a package (dwangsom.cases.evaluation) is read as the
        # package reads it (the module the part was split from)
        while (
            owner is not None
            and getattr(owner, parts[0], None) is None
            and owner.__name__.count(".") >= 2
        ):
            owner = sys.modules.get(owner.__name__.rpartition(".")[0])
    if owner is None:
        return None
    obj, rest, holder, name = owner, list(parts), owner, ""
    while rest:  # the longest prefix that is an object; the rest (a dataclass field) is kept
        found = getattr(obj, rest[0], None)
        if found is None:
            break
        if isinstance(obj, types.ModuleType):
            holder, name = obj, rest[0]
        obj = found
        rest.pop(0)
    if obj is owner or len(rest) > 1:
        return None
    domain = env.get_domain("py")
    if not rest and not hasattr(obj, "__qualname__") and isinstance(holder, types.ModuleType):
        # Data (a dict, a date) has no __module__: autodoc documents it in the module that
        # assigns it, which may be a submodule of the package that re-exports it.
        # the package documents it (its __all__), or else the submodule that assigns it
        candidates = [holder.__name__] + [
            modname
            for modname, module in sorted(sys.modules.items())
            if modname.startswith(f"{holder.__name__}.") and getattr(module, name, None) is obj
        ]
        for modname in candidates:
            found = node.deepcopy()
            found["reftarget"] = f"{modname}.{name}"
            resolved = domain.resolve_xref(
                env, node.get("refdoc"), app.builder, node["reftype"], found["reftarget"],
                found, contnode,
            )  # fmt: skip
            if resolved is not None:
                return resolved
        return None
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if isinstance(obj, types.ModuleType):
        module, qualname = obj.__name__, None
    if not module or not str(module).startswith("dwangsom"):
        return None
    # where autodoc documents it: the module that defines it, or a package above that module
    # that re-exports it in its __all__ (dwangsom.cases.assess, defined in cases.evaluation)
    path = str(module).split(".")
    for end in range(len(path), 1, -1):
        prefix = ".".join(path[:end])
        real = ".".join([f"{prefix}.{qualname}" if qualname else prefix, *rest])
        if real == target or (qualname and end < len(path) and not _exports(prefix, qualname)):
            continue
        found = node.deepcopy()
        found["reftarget"] = real
        resolved = domain.resolve_xref(
            env, node.get("refdoc"), app.builder, node["reftype"], real, found, contnode
        )
        if resolved is not None:
            return resolved
    return None


def _exports(modname: str, qualname: str) -> bool:
    module = sys.modules.get(modname)
    return module is not None and qualname.split(".")[0] in getattr(module, "__all__", ())


def _reexported_data_comment(
    app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """A package that re-exports data (``dwangsom.cli.SAMPLE_AS_OF``) holds no ``#:`` comment
    for it, so autodoc shows the docstring of the value's type; take the comment from the
    submodule that assigns the value."""
    if what != "data" or not name.startswith("dwangsom."):
        return
    package, _, attr = name.rpartition(".")
    if ("", attr) in ModuleAnalyzer.for_module(package).find_attr_docs():
        return  # the package documents it itself
    for modname, module in sorted(sys.modules.items()):
        if not modname.startswith(f"{package}.") or getattr(module, attr, None) is not obj:
            continue
        comment = ModuleAnalyzer.for_module(modname).find_attr_docs().get(("", attr))
        if comment:
            lines[:] = list(comment)
            return


def _not_optional_glob(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return not ("didn't match any documents" in message and message.split()[3] in OPTIONAL_GLOBS)


def setup(app: Any) -> None:
    app.connect("missing-reference", _resolve_reexports)
    app.connect("autodoc-process-docstring", _reexported_data_comment)
    logging.getLogger("sphinx.sphinx.directives.other").addFilter(_not_optional_glob)
