"""The public namespace: every error a user can receive is exported, every exported name exists."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import dedup
import dedup.errors


def test_every_exported_name_exists() -> None:
    missing = [name for name in dedup.__all__ if not hasattr(dedup, name)]
    assert not missing


def test_every_dedup_error_is_exported_from_dedup() -> None:
    errors = {
        name for name, value in vars(dedup.errors).items()
        if inspect.isclass(value) and issubclass(value, dedup.errors.DedupError)
    }
    assert {"OutputError", "BackendError", "IndexFileError"} <= errors
    assert errors <= set(dedup.__all__)
    assert errors == set(dedup.errors.__all__)
    for name in errors:
        assert getattr(dedup, name) is getattr(dedup.errors, name)


def test_no_dedup_error_is_defined_outside_dedup_errors() -> None:
    """Every DedupError lives in dedup.errors (so the test above sees it exported); exception
    classes elsewhere are internal, caught before a user sees them."""
    stray = []
    for info in pkgutil.walk_packages(dedup.__path__, "dedup."):
        if info.name in ("dedup.__main__", "dedup.errors"):
            continue  # runs the command; holds the errors
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, dedup.errors.DedupError)
                    and value.__module__ == info.name):
                stray.append(f"{info.name}.{name}")
    assert not stray, f"DedupError subclasses outside dedup.errors: {stray}"


def test_dedupe_given_paths_says_to_load_them() -> None:
    import pytest

    with pytest.raises(dedup.ConfigError, match=r"dedup\.load\(paths\)"):
        dedup.dedupe(["seeds/"])  # type: ignore[list-item]


def test_no_public_name_shadows_a_module() -> None:
    # `import dedup.loading.html` must leave `dedup.loading` a module, and `dedup.load` a
    # function: a public name that is also a submodule's name hides one behind the other.
    modules = {info.name for info in pkgutil.iter_modules(dedup.__path__)}
    assert not modules & set(dedup.__all__)
    for name in modules - {"__main__"}:
        assert inspect.ismodule(importlib.import_module(f"dedup.{name}"))
    for name in ("align", "load", "normalize", "shingle", "dedupe"):
        assert callable(getattr(dedup, name)) and not inspect.ismodule(getattr(dedup, name))
