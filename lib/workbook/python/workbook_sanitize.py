"""Sanitising of a notebook's outputs for `workbook export` (HTML, and the PDF printed from it).

A notebook's outputs are untrusted: a cell can display any HTML or SVG. Before export, everything that could run
code or reach outside the exported page is removed:

- elements: <script>, <style>, <iframe>, <object>, <embed>, <foreignObject>, SVG animation, forms, <meta>, <link>,
  <base>... are dropped with their content; unknown elements are unwrapped (their text is kept);
- attributes: every on* event handler; HTML keeps only an allow-list of attributes;
- references: href / src / xlink:href (and any other URL-valued attribute) may only point inside the page (#id) or
  hold an embedded image (data:image/png|jpeg|gif|webp); javascript:, file:, http(s): and relative paths are
  removed, as is any url(...) in a presentation attribute or a style that does not point inside the page (#id).

Used by the workbook template (filters workbook_html / workbook_svg, registered by workbook_export_config.py) and
by WorkbookSanitizePreprocessor, which drops output types that only exist to run code (JavaScript, widgets) and
output metadata that points at files. The exported page's only scripts are the template's own (MathJax), which
carry a per-export nonce that the page's Content-Security-Policy requires.
"""
import re
import secrets
import xml.etree.ElementTree as ET

try:
    import html5lib
    from html5lib import serializer as _h5serializer
    from html5lib import treewalkers as _h5walkers
except ImportError:  # Debian ships bleach with the system html5lib; older bleach vendors it
    from bleach._vendor import html5lib  # type: ignore
    from bleach._vendor.html5lib import serializer as _h5serializer  # type: ignore
    from bleach._vendor.html5lib import treewalkers as _h5walkers  # type: ignore

try:
    import tinycss2
except ImportError:  # pragma: no cover - tinycss2 comes with bleach[css]; without it styles are dropped
    tinycss2 = None

from nbconvert.preprocessors import Preprocessor

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# Dropped together with everything inside them.
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param", "noscript", "noembed",
    "noframes", "template", "head", "title", "meta", "link", "base", "form", "input", "button", "select", "option",
    "optgroup", "textarea", "audio", "video", "source", "track", "canvas", "portal", "math", "dialog",
    # SVG
    "foreignobject", "animate", "animatemotion", "animatetransform", "animatecolor", "set", "discard", "handler",
    "listener", "feimage", "cursor", "font-face-uri", "mpath",
}

HTML_TAGS = {
    "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br", "caption",
    "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "label", "li",
    "main", "mark", "nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span",
    "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt",
    "u", "ul", "var", "wbr",
}

HTML_ATTRS = {
    "abbr", "align", "alt", "border", "cellpadding", "cellspacing", "class", "colspan", "datetime", "dir", "headers",
    "height", "href", "id", "lang", "open", "reversed", "role", "rowspan", "scope", "span", "src", "start", "style",
    "title", "type", "valign", "width",
}

SVG_TAGS = {
    "svg", "g", "defs", "clippath", "mask", "pattern", "symbol", "use", "path", "rect", "line", "polyline", "polygon",
    "circle", "ellipse", "text", "tspan", "textpath", "title", "desc", "image", "lineargradient", "radialgradient",
    "stop", "marker", "a", "switch", "filter", "fegaussianblur", "feoffset", "feblend", "feflood", "fecomposite",
    "femerge", "femergenode", "fecolormatrix", "fedropshadow", "metadata",
}

URL_ATTRS = {
    "href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc", "srcset", "ping",
    "usemap", "dynsrc", "lowsrc", "codebase", "manifest", "profile", "icon", "archive", "classid", "srcdoc", "base",
    "imagesrcset", "attributename", "from", "to", "values", "by",
}

# What a reference may be: a fragment of this page, or an image embedded in it.
_FRAGMENT = re.compile(r"^#[\w.:-]*$")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.IGNORECASE)
_URL_FN = re.compile(r"url\s*\(", re.IGNORECASE)
_LOCAL_URL_FN = re.compile(r"url\s*\(\s*(['\"]?)\s*#[\w.:-]*\s*\1\s*\)", re.IGNORECASE)
_CTRL = re.compile(r"[\x00-\x20\x7f]+")

CSS_FUNCTIONS_DENIED = {
    "url", "image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade", "element", "-moz-element",
    "expression", "paint", "src", "attr",
}


def _local(name):
    return name.rsplit("}", 1)[-1].lower() if isinstance(name, str) else ""


def _ns(tag):
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else None


def safe_reference(value, images_ok):
    v = _CTRL.sub("", value or "")
    if _FRAGMENT.match(v):
        return True
    return bool(images_ok and _DATA_IMAGE.match(value.strip()))


def _safe_url_functions(value):
    """Every url(...) in a CSS or presentation-attribute value points inside the page."""
    if "\\" in value and "(" in value:
        return False  # CSS escapes could spell url( or a scheme
    stripped = _LOCAL_URL_FN.sub("", value)
    return not _URL_FN.search(stripped) and "image-set" not in stripped.lower() and "expression" not in stripped.lower()


def sanitize_css(style):
    """Keep only declarations without external references; '' when nothing is left."""
    if not style:
        return ""
    if tinycss2 is None:
        return style if _safe_url_functions(style) and "@" not in style else ""
    kept = []
    for decl in tinycss2.parse_declaration_list(style, skip_comments=True, skip_whitespace=True):
        if decl.type != "declaration":
            continue  # at-rules, errors
        name = decl.lower_name
        if name in ("behavior", "-moz-binding") or name.startswith("--"):
            continue
        if not _css_tokens_safe(decl.value):
            continue
        value = tinycss2.serialize(decl.value).strip()
        if "\\" in value:
            continue
        kept.append(f"{name}: {value}{' !important' if decl.important else ''}")
    return "; ".join(kept)


def _css_tokens_safe(tokens):
    for tok in tokens:
        t = tok.type
        if t == "url":
            if not _FRAGMENT.match(_CTRL.sub("", tok.value)):
                return False
        elif t == "function":
            if tok.lower_name in CSS_FUNCTIONS_DENIED:
                args = [a for a in tok.arguments if a.type not in ("whitespace", "comment")]
                ok = tok.lower_name == "url" and len(args) == 1 and args[0].type == "string" and _FRAGMENT.match(args[0].value)
                if not ok:
                    return False
            if not _css_tokens_safe(tok.arguments):
                return False
        elif t in ("() block", "[] block", "{} block"):
            if not _css_tokens_safe(tok.content):
                return False
        elif t == "at-keyword":
            return False
    return True


def _clean_attrs(el, kind):
    """kind: 'html' or 'svg'. Filters el.attrib in place."""
    tag = _local(el.tag)
    for key in list(el.attrib):
        value = el.attrib[key]
        name = _local(key)
        drop = False
        if name.startswith("on") or name in ("srcdoc", "formaction", "base"):
            drop = True
        elif name == "style":
            cleaned = sanitize_css(value)
            if cleaned:
                el.attrib[key] = cleaned
            else:
                drop = True
        elif name in URL_ATTRS:
            images_ok = name in ("src", "href") and tag in ("img", "image")
            drop = not (name in ("href", "src") and safe_reference(value, images_ok))
        elif kind == "html" and name not in HTML_ATTRS and not name.startswith("aria-") and not name.startswith("data-"):
            drop = True
        elif "javascript:" in _CTRL.sub("", value).lower() or not _safe_url_functions(value):
            drop = True
        if drop:
            del el.attrib[key]


def _sanitize_tree(parent, in_svg=False):
    """Walk parent's children: drop, unwrap or keep (and clean) each element. ElementTree has no parent links, so
    children are rebuilt in order, moving the text of unwrapped or dropped elements where it belongs."""
    children = list(parent)
    for child in children:
        parent.remove(child)
    last = None  # the last kept child, whose .tail receives following text
    for child in children:
        if not isinstance(child.tag, str):  # comments, processing instructions: dropped, their tail kept
            _append_text(parent, last, child.tail)
            continue
        tag = _local(child.tag)
        ns = _ns(child.tag)
        is_svg = ns == SVG_NS or (tag == "svg" and ns in (None, SVG_NS))
        child_in_svg = in_svg or is_svg
        if tag in DROP_WITH_CONTENT or ns not in (None, SVG_NS, XHTML_NS):
            _append_text(parent, last, child.tail)
            continue
        allowed = (tag in SVG_TAGS) if (child_in_svg and ns != XHTML_NS) else (tag in HTML_TAGS)
        if not allowed:
            # unwrap: keep its text and children (cleaned) in its place
            _append_text(parent, last, child.text)
            _sanitize_tree(child, child_in_svg)
            for grandchild in list(child):
                child.remove(grandchild)
                parent.append(grandchild)
                last = grandchild
            _append_text(parent, last, child.tail)
            continue
        _clean_attrs(child, "svg" if child_in_svg else "html")
        _sanitize_tree(child, child_in_svg)
        parent.append(child)
        last = child


def _append_text(parent, last, text):
    if not text:
        return
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _serialize_html(fragment):
    walker = _h5walkers.getTreeWalker("etree")
    ser = _h5serializer.HTMLSerializer(
        quote_attr_values="always", omit_optional_tags=False, minimize_boolean_attributes=False,
        use_trailing_solidus=True, escape_lt_in_attrs=True, escape_rcdata=True, sanitize=False,
    )
    return "".join(ser.serialize(walker(fragment)))


def sanitize_html(text):
    """Sanitised HTML of an untrusted fragment (an output, rendered Markdown, a raw cell)."""
    if text is None:
        return ""
    if isinstance(text, list):
        text = "".join(text)
    fragment = html5lib.parseFragment(str(text), treebuilder="etree", namespaceHTMLElements=False)
    _sanitize_tree(fragment)
    return _serialize_html(fragment)


ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


def sanitize_svg(text):
    """Sanitised SVG: parsed as XML (fast, keeps the figure exactly), or as HTML when it is not well-formed."""
    if text is None:
        return ""
    if isinstance(text, list):
        text = "".join(text)
    text = str(text)
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if "<!DOCTYPE" not in body.upper() and "<!ENTITY" not in body.upper():
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            root = None
        if root is not None and _local(root.tag) == "svg" and _ns(root.tag) == SVG_NS:
            holder = ET.Element("holder")
            holder.append(root)
            _sanitize_tree(holder, in_svg=True)
            return "".join(ET.tostring(el, encoding="unicode") for el in holder)
    return sanitize_html(body)


# Output types rendered in the export; everything else (application/javascript, widget views, ...) is dropped.
SAFE_MIMETYPES = {
    "text/plain", "text/html", "text/markdown", "text/latex", "image/svg+xml", "image/png", "image/jpeg",
    "application/json",
}


class WorkbookSanitizePreprocessor(Preprocessor):
    """Drops output types and metadata that only exist to run code or to point at files, and gives the template
    a fresh nonce for its own scripts."""

    def preprocess(self, nb, resources):
        resources["workbook_nonce"] = secrets.token_urlsafe(18)
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        # Tags become CSS classes in the template, unescaped: keep only characters a class name can hold.
        tags = cell.get("metadata", {}).get("tags")
        if tags is not None:
            cell.metadata["tags"] = [re.sub(r"[^\w-]", "_", str(t)) for t in tags] if isinstance(tags, list) else []
        for out in cell.get("outputs", []) or []:
            out.pop("svg_filename", None)
            data = out.get("data")
            if isinstance(data, dict):
                for mime in list(data):
                    if mime not in SAFE_MIMETYPES:
                        del data[mime]
            if "metadata" in out:
                out["metadata"] = _safe_output_metadata(out.get("metadata"))
        return cell, resources


def _safe_output_metadata(meta):
    """Only what the template reads, with the types it expects: width/height numbers (written unquoted into <img>),
    unconfined, needs_background. Never `filenames` (an <img src> pointing at any file)."""
    def pick(d):
        out = {}
        if not isinstance(d, dict):
            return out
        for k in ("width", "height"):
            v = d.get(k)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) < 1e6:
                out[k] = v
        if isinstance(d.get("unconfined"), bool):
            out["unconfined"] = d["unconfined"]
        if d.get("needs_background") in ("light", "dark"):
            out["needs_background"] = d["needs_background"]
        return out

    if not isinstance(meta, dict):
        return {}
    safe = pick(meta)
    for mime in ("image/png", "image/jpeg"):
        if isinstance(meta.get(mime), dict):
            safe[mime] = pick(meta[mime])
    return safe
