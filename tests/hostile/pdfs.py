"""One-page PDFs, plain or carrying something a reader could run or open."""

from __future__ import annotations

import io

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def pdf_with(change: object = None) -> bytes:
    """A one-page PDF; change(writer) adds something hostile before it is written."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _name(text: str) -> NameObject:
    return NameObject(text)


def _open_action_javascript(writer: pypdf.PdfWriter) -> None:
    writer._root_object[_name("/OpenAction")] = DictionaryObject(
        {_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("app.alert(1)")}
    )


def document_javascript(writer: pypdf.PdfWriter) -> None:
    from pypdf.actions import JavaScript

    writer.add_open_action(JavaScript("app.alert(1)"))


def _launch(writer: pypdf.PdfWriter) -> None:
    writer._root_object[_name("/OpenAction")] = DictionaryObject(
        {_name("/S"): _name("/Launch"), _name("/F"): TextStringObject("calc.exe")}
    )


def _embedded_file(writer: pypdf.PdfWriter) -> None:
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")


def _link_annotation_with_script(writer: pypdf.PdfWriter) -> None:
    action = DictionaryObject(
        {_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("app.alert(1)")}
    )
    link = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Link"),
            _name("/Rect"): ArrayObject([pypdf.generic.FloatObject(v) for v in (0, 0, 99, 99)]),
            _name("/A"): writer._add_object(action),
        }
    )
    writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(link)])


def _javascript_uri(writer: pypdf.PdfWriter) -> None:
    action = DictionaryObject(
        {_name("/S"): _name("/URI"), _name("/URI"): TextStringObject("javascript:alert(1)")}
    )
    writer._root_object[_name("/OpenAction")] = action


HOSTILE_PDFS = {
    "an open action running JavaScript": (_open_action_javascript, "JavaScript"),
    "document-level JavaScript": (document_javascript, "JavaScript"),
    "a launch action": (_launch, "launches a program"),
    "an embedded file": (_embedded_file, "an embedded file"),
    "a link annotation running JavaScript": (_link_annotation_with_script, "JavaScript"),
    "a javascript: URI": (_javascript_uri, "javascript: link"),
}
