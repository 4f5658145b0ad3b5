"""The XML of WebDAV (RFC 4918), CalDAV (RFC 4791) and WebDAV sync (RFC 6578): parsing request bodies and
writing multistatus answers, with the standard library's ElementTree.

Request bodies come from the network: expat refuses external entities, and a body with a DOCTYPE is
refused here before parsing, so neither entity expansion nor external look-ups can happen.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CS = "http://calendarserver.org/ns/"
ICAL = "http://apple.com/ns/ical/"

for prefix, uri in {"d": DAV, "cal": CALDAV, "cs": CS, "ical": ICAL}.items():
    ET.register_namespace(prefix, uri)


class BadXml(ValueError):
    pass


def tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def parse(body: bytes) -> ET.Element | None:
    """The request's root element; None for an empty body."""
    if not body.strip():
        return None
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise BadXml("DOCTYPE and entities are not accepted")
    try:
        return ET.fromstring(body)
    except ET.ParseError as e:
        raise BadXml(str(e)) from None


def sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, name)
    if text is not None:
        element.text = text
    return element


def multistatus() -> ET.Element:
    return ET.Element(tag(DAV, "multistatus"))


def add_response(root: ET.Element, href: str, found: dict, missing: list[str] | None = None) -> None:
    """One <response> with a 200 propstat for `found` (tag -> value: text, an Element, a list of Elements
    or None for an empty element) and a 404 propstat for `missing` tags."""
    response = sub(root, tag(DAV, "response"))
    sub(response, tag(DAV, "href"), href)
    if found:
        propstat = sub(response, tag(DAV, "propstat"))
        prop = sub(propstat, tag(DAV, "prop"))
        for name, value in found.items():
            element = sub(prop, name)
            if isinstance(value, str):
                element.text = value
            elif isinstance(value, ET.Element):
                element.append(value)
            elif isinstance(value, list):
                element.extend(value)
        sub(propstat, tag(DAV, "status"), "HTTP/1.1 200 OK")
    if missing:
        propstat = sub(response, tag(DAV, "propstat"))
        prop = sub(propstat, tag(DAV, "prop"))
        for name in missing:
            sub(prop, name)
        sub(propstat, tag(DAV, "status"), "HTTP/1.1 404 Not Found")
    if not found and not missing:
        sub(response, tag(DAV, "status"), "HTTP/1.1 200 OK")


def add_status(root: ET.Element, href: str, status: str) -> None:
    """A <response> with only a status, e.g. a removed resource in a sync-collection answer."""
    response = sub(root, tag(DAV, "response"))
    sub(response, tag(DAV, "href"), href)
    sub(response, tag(DAV, "status"), status)


def element(name: str, *children: ET.Element, text: str | None = None) -> ET.Element:
    e = ET.Element(name)
    e.extend(children)
    if text is not None:
        e.text = text
    return e


def href(value: str) -> ET.Element:
    return element(tag(DAV, "href"), text=value)


def error(*conditions: str) -> bytes:
    """A <d:error> body naming the precondition(s) that failed (RFC 4918 section 16)."""
    root = ET.Element(tag(DAV, "error"))
    for condition in conditions:
        sub(root, condition)
    return to_bytes(root)


def to_bytes(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def requested_props(root: ET.Element | None) -> tuple[str, list[str]]:
    """What a PROPFIND (or a REPORT's <prop>) asks: ("allprop", []), ("propname", []) or ("prop", tags)."""
    if root is None:
        return "allprop", []
    if root.find(tag(DAV, "propname")) is not None:
        return "propname", []
    prop = root.find(tag(DAV, "prop"))
    if prop is None:
        return "allprop", []
    return "prop", [child.tag for child in prop]
