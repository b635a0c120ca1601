"""The one door through which the engine changes code the project does not own.

Every speed-up that replaces an attribute of Sphinx, docutils, myst-nb, myst-parser,
jupytext or a theme does it with :func:`replace` (or :func:`swapped` for the span of a
``with``).  Each replacement names the package whose code it changes; it is made only
when that package is installed at the version the replacement was written for
(:data:`WRITTEN_FOR`, the versions pinned in ``requirements.txt``).  Under any other
version it is not made and the caller runs the plain path: Sphinx builds the same site
its own, slower way, rather than guess at internals that may have changed.

Every replacement is recorded (:func:`applied`) and can be undone (:func:`undo_all`):
``book_speedups: false`` undoes what an earlier build in the same process installed, and
the tests check both paths.

A few replacements are not speed-ups, and are made whatever ``book_speedups`` says:
safeguards (only the data notebook executes) pass ``essential=True`` and raise under
another version of their package, because building without them is not an option; facts
about the book that another package cannot know (its toc is never numbered, so the
numbering extension is safe in parallel) pass ``always=True`` and, under another version,
stand aside like a speed-up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from typing import Any

# The version each patched package's replacements were written and measured against: the
# pins of requirements.txt.  A patch for a package missing here is refused (a test checks
# every patched package is listed and pinned).
WRITTEN_FOR: dict[str, str] = {
    "sphinx": "7.4.7",
    "myst-nb": "1.4.0",
    "myst-parser": "3.0.1",
    "jupytext": "1.19.6",
    "sphinx-external-toc": "1.1.0",
    "sphinx-multitoc-numbering": "0.1.3",
    "pydata-sphinx-theme": "0.17.1",
    "sphinx-book-theme": "1.3.0",
    # Not patched: book.site.publish completes its list of pages, which it only reads here.
    "sphinx-sitemap": "2.9.0",
}

_MISSING = object()


class VersionMismatch(RuntimeError):
    """An essential replacement met a version of its package it was not written for."""


@dataclass(frozen=True)
class Patch:
    """One replacement: ``owner.attr`` now holds ``new``; ``original`` is what it held
    (``_MISSING`` when the attribute came from a class, not from ``owner`` itself)."""

    name: str
    package: str
    owner: Any
    attr: str
    new: Any
    original: Any
    essential: bool
    always: bool = False


_applied: list[Patch] = []
_enabled = True
_versions: dict[str, str | None] = {}


def installed(package: str) -> str | None:
    """The installed version of a distribution, or None."""
    if package not in _versions:
        try:
            _versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            _versions[package] = None
    return _versions[package]


def known(package: str) -> bool:
    """Whether ``package`` is installed at the version its replacements were written for."""
    want = WRITTEN_FOR.get(package)
    return want is not None and installed(package) == want


def enabled() -> bool:
    return _enabled


def set_enabled(on: bool) -> None:
    """``book_speedups``: off undoes every speed-up made so far and refuses new ones."""
    global _enabled
    _enabled = on
    if not on:
        undo_all(essential=False)


def usable(package: str) -> bool:
    """Whether a speed-up written for ``package`` may run: the engine is on and the
    package is at the version it was written for.  Callers that change behaviour without
    replacing an attribute (a hook that reads private state) ask this first."""
    return _enabled and known(package)


def _own(owner: Any, attr: str) -> Any:
    try:
        return vars(owner).get(attr, _MISSING)
    except TypeError:  # no __dict__ (slots): whatever getattr gives is the owner's own
        return getattr(owner, attr, _MISSING)


def current(owner: Any, attr: str) -> Patch | None:
    """The recorded replacement of ``owner.attr`` still in place, if any."""
    for patch in reversed(_applied):
        if patch.owner is owner and patch.attr == attr:
            return patch if _own(owner, attr) is patch.new else None
    return None


def replace(
    owner: Any, attr: str, new: Any, *, package: str, name: str = "", essential: bool = False, always: bool = False
) -> bool:
    """Set ``owner.attr = new`` if the engine may (see the module doc); returns whether
    ``owner.attr`` now holds a replacement of ours.  Replacing an attribute that already
    holds one of ours does nothing (a process that makes several Sphinx applications sets
    each global patch up once); a refused replacement takes back one made earlier, so the
    plain path really is Sphinx's own."""
    if not known(package):
        if essential:
            raise VersionMismatch(
                f"{name or attr}: written for {package} {WRITTEN_FOR.get(package)}, found {installed(package)}; "
                f"install the version pinned in requirements.txt"
            )
        undo(owner, attr)  # an earlier application's, made under the version it was written for
        return False
    if not (_enabled or essential or always):
        undo(owner, attr)
        return False
    if current(owner, attr) is not None:
        return True
    original = _own(owner, attr)
    setattr(owner, attr, new)
    _applied.append(Patch(name or attr, package, owner, attr, new, original, essential, always))
    return True


def _undo(patch: Patch) -> None:
    if isinstance(patch.owner, _Listeners):
        patch.owner.put_back(patch.original, patch.new)
        return
    if _own(patch.owner, patch.attr) is not patch.new:
        return  # replaced again since by someone else, or already undone: leave it
    if patch.original is _MISSING:
        with contextlib.suppress(AttributeError):
            delattr(patch.owner, patch.attr)
    else:
        setattr(patch.owner, patch.attr, patch.original)


def undo(owner: Any, attr: str) -> None:
    """Put back what ``owner.attr`` held before our replacement of it."""
    for patch in [p for p in _applied if p.owner is owner and p.attr == attr][::-1]:
        _undo(patch)
        _applied.remove(patch)


def undo_all(essential: bool = True) -> None:
    """Undo every recorded replacement, newest first; with ``essential=False`` only the
    speed-ups (what ``book_speedups: false`` turns off)."""
    for patch in _applied[::-1]:
        if essential or not (patch.essential or patch.always):
            _undo(patch)
            _applied.remove(patch)


def applied() -> list[Patch]:
    """The replacements in place, oldest first."""
    return [p for p in _applied if isinstance(p.owner, _Listeners) or _own(p.owner, p.attr) is p.new]


class _Listeners:
    """The listeners of one event of one Sphinx application, as the owner of a patch."""

    def __init__(self, listeners: list[Any]) -> None:
        self.listeners = listeners

    def put_back(self, original: Any, new: Any) -> None:
        for i, listener in enumerate(self.listeners):
            if listener.handler is new:
                self.listeners[i] = listener._replace(handler=original)


def replace_listener(app: Any, event: str, handler: Any, new: Any, *, package: str, name: str = "") -> bool:
    """Have ``app`` call ``new`` where it calls ``handler`` (a listener another package
    connected) for ``event``, at the same priority; returns whether it did.  For a listener
    whose place among the others matters, which connecting one more cannot give."""
    if not usable(package):
        return False
    listeners = app.events.listeners.get(event, [])
    for i, listener in enumerate(listeners):
        if listener.handler is handler:
            listeners[i] = listener._replace(handler=new)
            _applied.append(Patch(name or event, package, _Listeners(listeners), event, new, handler, False))
            return True
    return False


@contextlib.contextmanager
def swapped(owner: Any, attr: str, new: Any, *, package: str, name: str = "") -> Iterator[bool]:
    """``owner.attr = new`` for the ``with`` block, if the engine may; yields whether it did."""
    done = current(owner, attr) is None and replace(owner, attr, new, package=package, name=name)
    try:
        yield done
    finally:
        if done:
            undo(owner, attr)
