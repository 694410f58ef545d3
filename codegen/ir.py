"""The intermediate model: the validated spec as frozen dataclasses, read by the renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Batch",
    "Dialect",
    "EnumDef",
    "Field",
    "Frame",
    "ObjectType",
    "Operation",
    "RestEndpoint",
    "Spec",
    "Stream",
    "Topic",
    "TopicParam",
    "TopicVariant",
    "TypeRef",
]

Access = Literal["public", "private"]


@dataclass(frozen=True)
class TypeRef:
    """The type of a field."""

    kind: Literal["primitive", "enum", "object", "array", "map", "generic"]
    name: str = ""
    """Primitive name, enum or object type name, or generic parameter; empty for arrays/maps."""
    items: TypeRef | None = None
    """Item type of an array, value type of a map."""


@dataclass(frozen=True)
class Field:
    """One key of an object type."""

    name: str
    type: TypeRef
    description: str
    required: bool = False
    nullable: bool = False
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    required_for_categories: tuple[str, ...] = ()
    """The key is required when the request's category is one of these."""
    source: Literal["wire", "client"] = "wire"
    """``client``: added by the SDK to what it returns, never sent on the wire."""
    placeholders: tuple[str | int, ...] = ()
    """Values Bybit sends besides the enum's own for "not set" (``""``, ``"UNKNOWN"``)."""


@dataclass(frozen=True)
class EnumDef:
    """A named set of allowed values, rendered as a ``Literal`` alias."""

    name: str
    description: str
    kind: Literal["string", "integer"]
    values: tuple[str | int, ...]


@dataclass(frozen=True)
class ObjectType:
    """A named object, rendered as a ``TypedDict``."""

    name: str
    description: str
    fields: tuple[Field, ...]
    require_any: tuple[tuple[str, ...], ...] = ()
    """Groups of keys of which at least one must be present."""

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Frame:
    """A generic envelope frame (request or response)."""

    name: str
    description: str
    fields: tuple[Field, ...]

    @property
    def generics(self) -> tuple[str, ...]:
        """The type parameters the frame uses, in field order."""
        found: list[str] = []
        for f in self.fields:
            ref: TypeRef | None = f.type
            while ref is not None:
                if ref.kind == "generic" and ref.name not in found:
                    found.append(ref.name)
                ref = ref.items
        return tuple(found)


@dataclass(frozen=True)
class Batch:
    """How a batch operation carries its items."""

    items: str
    """The params key holding the list of items."""
    max_items: tuple[tuple[str, int], ...]
    """Item cap per category (``default`` for any other)."""


@dataclass(frozen=True)
class Operation:
    """One WS API operation."""

    op: str
    method: str
    doc: str
    params: str
    data: str
    ret_ext_info: str
    action: str | None = None
    method_args: tuple[tuple[str, str], ...] = ()
    """Python argument name -> params key; empty when the method takes the params object."""
    batch: Batch | None = None
    rate_limit: tuple[tuple[str, int], ...] = ()
    """Requests per second per category (``default`` for any other)."""


@dataclass(frozen=True)
class Dialect:
    """How one kind of stream socket shapes its subscribe acks and pongs."""

    name: str
    description: str
    ack: tuple[str, tuple[str, ...]]
    """(key, values): a frame whose ``key`` is one of ``values`` is a subscribe/unsubscribe ack."""
    pong: tuple[str, tuple[str, ...]]
    """(key, values): a frame whose ``key`` is one of ``values`` is a pong."""
    success_ret_msg: str | None
    """``ret_msg`` of a successful subscribe ack (``None``: the ack has no ``ret_msg``)."""
    topic_lists: tuple[str, str] | None
    """(success, fail) keys under ``data`` listing the topics of an ack, if the dialect has them."""
    examples: tuple[tuple[str, str], ...]
    """Frames as documented, JSON text by name (``ack``, ``pong``, ...)."""


@dataclass(frozen=True)
class Stream:
    """One stream socket (wsKey): its URL path, who may use it, and its limits."""

    attribute: str
    """``WS_KEY_MAP`` attribute, e.g. ``v5_linear_public``."""
    ws_key: str
    """The wsKey value, e.g. ``v5LinearPublic`` (as in the Node SDK)."""
    description: str
    path: str
    access: Access
    category: str | None
    """The product type whose public topics it carries (``None``: private, every category)."""
    dialect: str
    subscribe_batch: int
    """Topics the client sends per subscribe frame (at most ``max_args_per_request``)."""
    max_args_per_request: int | None
    """Bybit's limit of topics per subscribe frame (spot: 10)."""
    max_args_chars: int | None
    """Total characters of the subscribed topics on one connection."""
    max_topics: int | None
    """Topics on one connection."""


@dataclass(frozen=True)
class TopicParam:
    """One ``{placeholder}`` of a topic pattern."""

    name: str
    kind: Literal["string", "integer"]
    description: str
    enum: str = ""
    """The enum its values come from (``""``: any string or integer)."""


@dataclass(frozen=True)
class TopicVariant:
    """The form a topic family takes for some categories (or with no category)."""

    categories: tuple[str, ...]
    """Public: the categories (sockets) it serves; private: the ``{category}`` values."""
    pattern: str
    message: str
    """The object type of each pushed message."""
    push: tuple[str, ...]
    """``snapshot``, ``delta``, ``update`` (private, no snapshot)."""
    values: tuple[tuple[str, tuple[str | int, ...]], ...]
    """Allowed values per parameter (a parameter not listed takes any value)."""

    def allowed(self, param: str) -> tuple[str | int, ...]:
        return dict(self.values).get(param, ())


@dataclass(frozen=True)
class Topic:
    """One topic family: ``orderbook``, ``order``, ``execution.fast``, ..."""

    family: str
    access: Access
    method: str
    doc: str
    params: tuple[TopicParam, ...]
    variants: tuple[TopicVariant, ...]

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category of every variant, in spec order."""
        return tuple(c for v in self.variants for c in v.categories)

    @property
    def messages(self) -> tuple[str, ...]:
        """The message types of the variants, each once, in spec order."""
        return tuple(dict.fromkeys(v.message for v in self.variants))


@dataclass(frozen=True)
class RestEndpoint:
    """One REST endpoint: ``GET /v5/order/realtime``, ..."""

    path: str
    http_method: Literal["GET", "POST"]
    method: str
    """The REST client's method name."""
    doc: str
    access: Access
    """``private``: signed; ``public``: no key needed."""
    params: str
    """The object type of the query (GET) or body (POST)."""
    result: str
    """The object type of the envelope's ``result``."""
    page_max: int | None = None
    """The largest ``limit`` (page size) a paginated endpoint takes; ``None``: not paginated."""
    page_default: int | None = None
    """The page size without ``limit``."""
    rate_limit: int | None = None
    """Requests per second per UID."""
    time_window_days: int | None = None
    """The longest ``startTime``..``endTime`` span, and the window when neither is given."""
    require_any_for_categories: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()
    """Per category, groups of params keys of which at least one must be present."""


@dataclass(frozen=True)
class Spec:
    """A validated spec."""

    file_name: str
    sha256: str
    title: str
    path: str
    ws_key_attribute: str
    ws_key_value: str
    category_field: str
    enums: tuple[EnumDef, ...]
    types: tuple[ObjectType, ...]
    request: Frame
    response: Frame
    operations: tuple[Operation, ...]
    dialects: tuple[Dialect, ...] = ()
    streams: tuple[Stream, ...] = ()
    topics: tuple[Topic, ...] = ()
    rest: tuple[RestEndpoint, ...] = ()
    _index: dict[str, EnumDef | ObjectType] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({e.name: e for e in self.enums})
        self._index.update({t.name: t for t in self.types})

    def enum(self, name: str) -> EnumDef:
        found = self._index[name]
        assert isinstance(found, EnumDef)
        return found

    def type(self, name: str) -> ObjectType:
        found = self._index[name]
        assert isinstance(found, ObjectType)
        return found

    def stream(self, category: str | None) -> Stream:
        """The public stream of ``category``, or the private one for ``None``."""
        return next(
            s
            for s in self.streams
            if (s.access == "private" if category is None else s.category == category)
        )
