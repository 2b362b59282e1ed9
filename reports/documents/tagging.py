"""The tags of our PDFs made right for PDF/UA-1 (pikepdf), and the check that earns the claim.

WeasyPrint tags what it lays out, and leaves four things for us:

- the content of page margins (running header, "Page N", DRAFT, the exempt marking, "This page
  is intentionally left blank") is marked with MCIDs whose structure elements hang from no
  parent: orphans. It is pagination, so it becomes an /Artifact and the orphans go;
- table header cells carry IDs but no /Scope: a header in a row of headers is a column header,
  one beside data cells a row header. A table printed without a header row (Markdown needs
  one; an empty one is dropped) gets its first column as row headers;
- heading levels come from the templates and the authors' Markdown, and may skip (H2 → H4):
  the levels are made consecutive over the whole joined document, the first one H1;
- table header IDs restart in every part (workers give each part a prefix; see unique_ids).

`problems()` is the check run on every finished document: PDF/UA is claimed in its XMP only
when it finds nothing (reports/documents/assemble.py). A pack with an uploaded paper drawn into
it, whose own tags are not carried over, does not claim it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pikepdf is imported where a PDF is finished.
    import pikepdf

HEADING = re.compile(r"^/H([1-6])$")
PAINTING = frozenset(
    {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "Do", "Tj", "TJ", "'", '"', "BI"}
)


def members(value: Any) -> list[Any]:
    """The members of an array, or the value itself as a list of one (none for null)."""
    import pikepdf

    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element reachable from the root, in document (depth-first) order."""
    import pikepdf

    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return
    seen: set[tuple[int, int]] = set()
    stack = list(reversed(members(tree.get("/K"))))
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue  # an MCID, a marked-content or object reference
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        yield element
        stack += reversed(members(element.get("/K")))


def _reachable(walked: list[pikepdf.Dictionary]) -> set[tuple[int, int]]:
    return {element.objgen for element in walked if element.is_indirect}


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, Any]:
    tree = pdf.Root.get("/StructTreeRoot")
    parent_tree = tree.get("/ParentTree") if tree is not None else None
    nums = parent_tree.get("/Nums") if parent_tree is not None else None
    if nums is None:
        return {}
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _mcid(operands: Any) -> int | None:
    import pikepdf

    if len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
        value = operands[1].get("/MCID")
        return int(value) if value is not None else None
    return None


def artifact_margins(pdf: pikepdf.Pdf) -> int:
    """Mark the content of orphan structure elements (the page margins) as pagination
    artifacts and drop the orphans from the parent tree; the number of sequences changed."""
    import pikepdf

    reachable = _reachable(list(elements(pdf)))
    tree = _parent_tree(pdf)
    changed = 0
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        mapped = tree.get(int(key)) if key is not None else None
        if not isinstance(mapped, pikepdf.Array):
            continue
        orphans = {
            mcid
            for mcid, element in enumerate(mapped)
            if isinstance(element, pikepdf.Dictionary)
            and (not element.is_indirect or element.objgen not in reachable)
        }
        if not orphans:
            continue
        instructions = []
        for instruction in pikepdf.parse_content_stream(page):
            if (
                not isinstance(instruction, pikepdf.ContentStreamInlineImage)
                and str(instruction.operator) == "BDC"
                and _mcid(instruction.operands) in orphans
            ):
                instruction = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)],
                    pikepdf.Operator("BDC"),
                )
                changed += 1
            instructions.append(instruction)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        for mcid in orphans:
            mapped[mcid] = None
    return changed


def _attributes(element: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """The element's table attributes (/O /Table), made if it has none."""
    import pikepdf

    for attributes in members(element.get("/A")):
        if isinstance(attributes, pikepdf.Dictionary) and attributes.get("/O") == "/Table":
            return attributes
    attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
    element.A = pikepdf.Array([*members(element.get("/A")), attributes])
    return attributes


def _rows(table: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    import pikepdf

    rows = []
    for child in members(table.get("/K")):
        if not isinstance(child, pikepdf.Dictionary):
            continue
        if child.get("/S") == "/TR":
            rows.append(child)
        elif child.get("/S") in ("/THead", "/TBody", "/TFoot"):
            rows += _rows(child)
    return rows


def _cells(row: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    import pikepdf

    return [
        cell
        for cell in members(row.get("/K"))
        if isinstance(cell, pikepdf.Dictionary) and cell.get("/S") in ("/TH", "/TD")
    ]


def scope_table_headers(pdf: pikepdf.Pdf) -> int:
    """Give every table header cell its /Scope; a table with no header cell gets its first
    column as row headers. The number of header cells given a scope."""
    import pikepdf

    scoped = 0
    for table_number, table in enumerate(e for e in elements(pdf) if e.get("/S") == "/Table"):
        rows = [(row, _cells(row)) for row in _rows(table)]
        if not any(cell.get("/S") == "/TH" for _, cells in rows for cell in cells):
            for row_number, (_, cells) in enumerate(rows):
                if len(cells) < 2:
                    continue
                header, *data = cells
                header.S = pikepdf.Name.TH
                key = pikepdf.String(f"row-header-{table_number}-{row_number}")
                header.ID = key
                for cell in data:
                    _attributes(cell).Headers = pikepdf.Array([key])
        for _, cells in rows:
            column = all(cell.get("/S") == "/TH" for cell in cells)
            for cell in cells:
                if cell.get("/S") == "/TH":
                    _attributes(cell).Scope = pikepdf.Name.Column if column else pikepdf.Name.Row
                    scoped += 1
    return scoped


def nest_headings(pdf: pikepdf.Pdf, walked: list[pikepdf.Dictionary] | None = None) -> int:
    """Make heading levels consecutive in reading order: the first is H1, and none is more
    than one level below the one before it. The number of headings changed. `walked`: the
    elements (elements(pdf)) when the caller has them already."""
    import pikepdf

    changed = 0
    level = 0
    for element in elements(pdf) if walked is None else walked:
        match = HEADING.match(str(element.get("/S")))
        if not match:
            continue
        wanted = min(int(match[1]), level + 1)
        if wanted != int(match[1]):
            element.S = pikepdf.Name(f"/H{wanted}")
            changed += 1
        level = wanted
    return changed


def content_problems(
    pdf: pikepdf.Pdf,
    walked: list[pikepdf.Dictionary] | None = None,
    skip: Collection[int] = (),
) -> list[str]:
    """What the pages' content breaks (but the pages whose indexes are in `skip`): marked
    content with no structure element, an orphan one or one used twice; painting neither
    tagged nor an artifact."""
    import pikepdf

    if pdf.Root.get("/StructTreeRoot") is None:
        return ["not tagged"]
    found: list[str] = []
    walked = list(elements(pdf)) if walked is None else walked
    reachable = _reachable(walked)
    tree = _parent_tree(pdf)
    for index, page in enumerate(pdf.pages, start=1):
        if index - 1 in skip:
            continue
        key = page.obj.get("/StructParents")
        mapped = members(tree.get(int(key))) if key is not None else []
        depth = 0
        mcids: set[int] = set()
        for instruction in pikepdf.parse_content_stream(page):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                operator = "BI"
            else:
                operator = str(instruction.operator)
            if operator in ("BDC", "BMC"):
                depth += 1
                mcid = _mcid(instruction.operands) if operator == "BDC" else None
                if mcid is None:
                    continue
                element = mapped[mcid] if mcid < len(mapped) else None
                if mcid in mcids:
                    found.append(f"page {index}: marked content {mcid} used twice")
                elif not isinstance(element, pikepdf.Dictionary):
                    found.append(f"page {index}: marked content {mcid} has no structure element")
                elif element.objgen not in reachable:
                    found.append(f"page {index}: marked content {mcid} is an orphan")
                mcids.add(mcid)
            elif operator == "EMC":
                depth -= 1
            elif operator in PAINTING and depth <= 0:
                found.append(f"page {index}: content neither tagged nor an artifact")
                break
    return found


def problems(
    pdf: pikepdf.Pdf,
    walked: list[pikepdf.Dictionary] | None = None,
    checked_pages: Collection[int] = (),
) -> list[str]:
    """What stands between this PDF and PDF/UA-1, as far as a machine can tell (empty: none).
    `walked`: the structure elements (elements(pdf)) when the caller has them already;
    `checked_pages`: indexes of pages whose content passed content_problems in the part they
    come from (a join, assemble.py, does not scan them again)."""
    import pikepdf

    found: list[str] = []
    root = pdf.Root
    if root.get("/StructTreeRoot") is None:
        return ["not tagged"]
    if not bool((root.get("/MarkInfo") or {}).get("/Marked", False)):
        found.append("not marked as tagged")
    if not str(root.get("/Lang", "")).strip():
        found.append("no language")
    if not bool((root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle", False)):
        found.append("title not displayed")
    walked = list(elements(pdf)) if walked is None else walked
    found += content_problems(pdf, walked, skip=checked_pages)
    level = 0
    for element in walked:
        role = str(element.get("/S"))
        if match := HEADING.match(role):
            if int(match[1]) > level + 1:
                found.append(f"heading {role} after H{level}")
            level = int(match[1])
        elif role == "/Table":
            cells = [cell for row in _rows(element) for cell in _cells(row)]
            if not any(cell.get("/S") == "/TH" for cell in cells):
                found.append("a table without header cells")
        elif role == "/TH":
            if not any(
                isinstance(a, pikepdf.Dictionary) and "/Scope" in a
                for a in members(element.get("/A"))
            ):
                found.append("a table header cell without /Scope")
    return found
