"""Hostile inputs for every place where user text reaches a page, and a checker.

Shared by the statements, discussion and public tests: feed each entry of
XSS_CORPUS into a title, summary, body, comment… and pass the rendered page (or
fragment) to assert_inert(). The checker parses the HTML the way a browser's
tokenizer would (attribute values entity-decoded) and fails on anything that
could run script, load a frame or plugin, or restyle the page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

XSS_CORPUS: list[str] = [
    # --- raw tags -------------------------------------------------------------------------
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\n>alert(1)</script\n>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script><'",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # --- event handlers -------------------------------------------------------------------
    "<img src=x onerror=alert(1)>",
    "<img src=x oNeRrOr=alert(1)//",
    '<body onload="alert(1)">',
    '<div onmouseover="alert(1)">hover</div>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<a href="https://ok.example" onclick="alert(1)">klick</a>',
    "<p/onclick=alert(1)>x</p>",
    # --- svg and math ---------------------------------------------------------------------
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    # --- frames, plugins, meta ------------------------------------------------------------
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # --- style ----------------------------------------------------------------------------
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="width: expression(alert(1))">x</p>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<span style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</span>',
    # --- markdown links in every spelling -------------------------------------------------
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "[klick](  javascript:alert(1)  )",
    "[klick](java\tscript:alert(1))",
    "[klick](&#106;avascript:alert(1))",
    "[klick](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[klick](javascript&colon;alert(1))",
    "[klick](javascript&#58;alert(1))",
    "[klick](%6Aavascript:alert(1))",
    "[klick](vbscript:msgbox(1))",
    "[klick](VBScript:msgbox(1))",
    "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klick](DATA:text/html,<script>alert(1)</script>)",
    "[klick](file:///etc/passwd)",
    "[klick](<javascript:alert(1)>)",
    '[klick](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    "[klick][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<vbscript:alert(1)>",
    "![bild](javascript:alert(1))",
    "![bild](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![bild](https://ok.example/x.png"onerror="alert(1))',
    "[![x](javascript:alert(1))](javascript:alert(2))",
    # --- entities and encodings -----------------------------------------------------------
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\<script>alert(1)\\</script>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
    "> <iframe src=javascript:alert(1)>",
    "* <a href='javascript:alert(1)'>x</a>",
    # --- id / name clobbering -------------------------------------------------------------
    '<a id="main" name="csrfmiddlewaretoken">x</a>',
    '<form id="b-0000000000"><input name="action"></form>',
    # --- template syntax (must not be evaluated twice) ------------------------------------
    "{{ request.user.password }} {% debug %}",
    "{% load static %}{% csrf_token %}",
]

_DANGEROUS_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "base",
    "meta",
    "link",
    "style",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "video",
    "audio",
    "source",
    "img",
    "details",
    "marquee",
    "template",
    "noscript",
}
# Tags a legitimate page of ours may contain (layout forms, the htmx script, …).
PAGE_TAGS = {
    "meta",
    "link",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "script",
    "img",
    "details",
}
# Our own decorative SVGs (the brand mark, the vote bars; issue 16): a page may hold an
# <svg> only with one of these classes and aria-hidden; any other <svg> still fails.
OWN_SVG_CLASSES = {"brand-mark", "vote-bar"}
_URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "cite",
    "ping",
}
_SAFE_STYLE = re.compile(r"^text-align:(left|center|right)$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def _normalise_url(value: str) -> str:
    # Browsers drop ASCII whitespace and control characters inside a scheme.
    return re.sub(r"[\x00-\x20\x7f]+", "", value).lower()


class _Inspector(HTMLParser):
    def __init__(self, *, page: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = PAGE_TAGS if self.page else set()
        attr_map = {name: (value or "") for name, value in attrs}
        own_svg = (
            tag == "svg"
            and self.page
            and attr_map.get("class") in OWN_SVG_CLASSES
            and attr_map.get("aria-hidden") == "true"
        )
        if tag in _DANGEROUS_TAGS and tag not in allowed and not own_svg:
            self.problems.append(f"<{tag}> survived")
        if tag == "script" and self.page:
            src = attr_map.get("src", "")
            if not src.startswith("/static/"):
                self.problems.append("inline or foreign <script>")
        if tag == "meta" and "http-equiv" in attr_map:
            self.problems.append("<meta http-equiv> survived")
        for name, value in attr_map.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            elif name == "srcdoc":
                self.problems.append(f"srcdoc on <{tag}>")
            elif name == "style" and not _SAFE_STYLE.match(value.replace(" ", "")):
                self.problems.append(f"style={value!r} on <{tag}>")
            elif name in _URL_ATTRS:
                url = _normalise_url(value)
                match = _SCHEME.match(url)
                if match and match.group(1) not in ("http", "https", "mailto"):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
            elif name in ("id", "name") and not self.page and not re.match(r"^[bh]-", value):
                self.problems.append(f"unprefixed {name}={value!r} on <{tag}>")


def assert_inert(html: str, *, page: bool | None = None) -> None:
    """Fail if `html` contains anything executable, framing or restyling from user input.

    `page=True` (default when the text looks like a whole document) allows the tags
    our own layout uses (forms, the htmx <script src="/static/…">); fragments allow none.
    """
    if page is None:
        page = "<html" in html[:500].lower()
    inspector = _Inspector(page=page)
    inspector.feed(html)
    inspector.close()
    assert not inspector.problems, "; ".join(inspector.problems)
    # Anything the parser treats as text is inert, but a live "javascript:" in a
    # raw (unescaped) attribute position would have been caught above.
