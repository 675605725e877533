"""Records: classes declared as dataclasses are, without importing ``dataclasses``.

``dataclasses`` imports ``inspect`` (and with it ``ast``, ``dis``, ``tokenize``…): about
15 ms of every command's start-up, for the few small classes each command builds. A
record declares its fields as annotations, in order, with defaults or ``field(…)``, as a
dataclass does, and gets what reseau's dataclasses used: ``__init__`` (keyword or
positional arguments, ``__post_init__`` when defined), ``__repr__``, ``__eq__`` (on the
fields compared), and, frozen, no assignment and a ``__hash__``; ``replace`` and
``as_dict`` as ``dataclasses.replace`` and ``asdict``. Nothing else (no inheritance of
fields, no ordering, no ``ClassVar``, no keyword-only fields).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_: object) -> Callable[[T], T]:
        return lambda decorated: decorated


_MISSING: Any = object()
_set = object.__setattr__


class FrozenInstanceError(AttributeError):
    """An assignment to a field of a frozen record."""


class _Field:
    __slots__ = ("compare", "default", "factory", "repr")

    def __init__(
        self, default: Any, factory: Callable[[], Any] | None, repr: bool, compare: bool
    ) -> None:
        self.default, self.factory, self.repr, self.compare = default, factory, repr, compare


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field's default (or a factory called for each instance), and whether it is
    shown by ``repr`` and compared by ``==``, as ``dataclasses.field``."""
    return _Field(default, default_factory, repr, compare)


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """CLS as a mutable record (unhashable, as a dataclass with ``eq``)."""
    return _build(cls, frozen=False)


@dataclass_transform(field_specifiers=(field,), frozen_default=True)
def frozen(cls: type[T]) -> type[T]:
    """CLS as a frozen record: its fields cannot be assigned; hashable."""
    return _build(cls, frozen=True)


def _fields(cls: type) -> dict[str, _Field]:
    found: dict[str, _Field] = {}
    for name in cls.__dict__.get("__annotations__", {}):
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, _Field):
            found[name] = value
            if value.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, value.default)
        else:
            found[name] = _Field(value, None, True, True)
    return found


def _build(cls: type[T], *, frozen: bool) -> type[T]:
    fields = _fields(cls)
    names = tuple(fields)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        # Compiled on the first instance: compiling costs more than building the
        # class, and most records a module declares are never made by one command.
        init = _init(cls, fields, frozen=frozen)
        cls.__init__ = init  # type: ignore[method-assign]
        init(self, *args, **kwargs)

    compared = tuple(n for n in names if fields[n].compare)
    methods: dict[str, Any] = {
        "__init__": __init__,
        "__repr__": _repr(tuple(n for n in names if fields[n].repr)),
        "__eq__": _eq(compared),
        "__hash__": _hash(compared) if frozen else None,
        "__record_fields__": names,
    }
    if frozen:
        methods["__setattr__"] = methods["__delattr__"] = _refuse
    for name, method in methods.items():
        setattr(cls, name, method)
    return cls


def _init(cls: type, fields: dict[str, _Field], *, frozen: bool) -> Callable[..., None]:
    """The ``__init__`` of CLS, compiled as dataclasses does (as fast as one written out)."""
    params, body = [], []
    scope: dict[str, Any] = {"_MISSING": _MISSING, "_set": _set}
    for name, spec in fields.items():
        if spec.factory is not None:
            scope[f"_f_{name}"] = spec.factory
            params.append(f"{name}=_MISSING")
            value = f"_f_{name}() if {name} is _MISSING else {name}"
        elif spec.default is not _MISSING:
            scope[f"_d_{name}"] = spec.default
            params.append(f"{name}=_d_{name}")
            value = name
        else:
            params.append(name)
            value = name
        body.append(
            f"    _set(self, {name!r}, {value})" if frozen else f"    self.{name} = {value}"
        )
    if "__post_init__" in cls.__dict__:
        body.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or ["    pass"])
    exec(source, scope)  # noqa: S102 - made here from the class's own field names
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    return __repr__


def _eq(names: tuple[str, ...]) -> Callable[[Any, object], bool]:
    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)

    return __eq__


def _hash(names: tuple[str, ...]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(tuple(getattr(self, n) for n in names))

    return __hash__


def _refuse(self: Any, name: str, *value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def replace(obj: T, **changes: Any) -> T:
    """A copy of the record OBJ with CHANGES, as ``dataclasses.replace``."""
    names: tuple[str, ...] = type(obj).__record_fields__  # type: ignore[attr-defined]
    values = {name: getattr(obj, name) for name in names}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(obj).__qualname__} has no field {sorted(unknown)[0]!r}")
    return type(obj)(**{**values, **changes})


def as_dict(obj: Any) -> dict[str, Any]:
    """The record OBJ as a dict, records, lists, tuples and dicts inside converted too
    (as ``dataclasses.asdict``)."""
    return {name: _plain(getattr(obj, name)) for name in type(obj).__record_fields__}


def _plain(value: Any) -> Any:
    if hasattr(type(value), "__record_fields__"):
        return as_dict(value)
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return value
