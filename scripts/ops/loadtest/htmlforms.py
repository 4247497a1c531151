"""What a browser would send for a form on a page: the load test's clients fill in the portal's
real forms (CSRF token, hidden base versions, every field as rendered) instead of guessing."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    enctype: str = ""
    options: dict[str, list[str]] = field(default_factory=dict)

    def data(self, overrides: dict | None = None, button: str | None = None) -> dict:
        """The fields as a dict of lists, with ``overrides`` replacing whole fields."""
        result: dict[str, list[str]] = {}
        for name, value in self.fields:
            result.setdefault(name, []).append(value)
        for name, value in (overrides or {}).items():
            result[name] = value if isinstance(value, list) else [value]
        for name, value in self.buttons:
            if name == button:
                result[name] = [value]
        return result

    def value(self, name: str, default: str = "") -> str:
        return next((v for n, v in self.fields if n == name), default)

    def names(self) -> set[str]:
        return {name for name, _value in self.fields}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: list | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                a.get("action", ""), a.get("method", "get").lower(), enctype=a.get("enctype", "")
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button"):
                form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind != "file":
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = (name, [])
            self._multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "", "selected" in a]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, text, selected = self._option
            self._select[1].append((text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            self._form.options[name] = [v for v, _selected in options]
            chosen = [v for v, selected in options if selected]
            if not chosen and options and not self._multiple:
                chosen = [options[0][0]]
            self._form.fields.extend((name, v) for v in chosen)
            self._select = None


def forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def find_form(html: str, *, action: str | None = None, has_field: str | None = None) -> Form:
    """The first form whose action contains ``action`` and/or that has the field ``has_field``;
    LookupError when there is none."""
    for form in forms(html):
        if action is not None and action not in form.action:
            continue
        if has_field is not None and has_field not in form.names():
            continue
        return form
    raise LookupError(f"no form (action={action!r}, field={has_field!r}) on the page")
