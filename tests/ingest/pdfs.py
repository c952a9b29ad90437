"""Small PDFs built by hand (no PDF library needed): a text layer, an encrypted one, a decompression bomb."""

from __future__ import annotations

import zlib


def make_pdf(text: str = "", stream: bytes | None = None, stream_dict: bytes = b"", trailer: bytes = b"") -> bytes:
    """A one-page PDF whose page shows `text` (or whose content stream is `stream`, with `stream_dict`
    entries such as /Filter); `trailer` adds entries to the trailer (/Encrypt ...)."""
    if stream is None:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s >>\nstream\n" % (len(stream), stream_dict) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return assembled(objects, trailer)


def encrypted_pdf() -> bytes:
    """A PDF that says it is AES-encrypted (standard security handler, revision 4)."""
    encrypt = (b"/Encrypt << /Filter /Standard /V 4 /R 4 /Length 128 /P -4 "
               b"/CF << /StdCF << /AuthEvent /DocOpen /CFM /AESV2 /Length 16 >> >> /StmF /StdCF /StrF /StdCF "
               b"/O <" + b"00" * 32 + b"> /U <" + b"00" * 32 + b"> >> "
               b"/ID [<" + b"11" * 16 + b"> <" + b"11" * 16 + b">]")
    return make_pdf("Secret talks between Minsk and Moscow.", trailer=encrypt)


def pdf_bomb(inflated_bytes: int = 200 * 1024 * 1024) -> bytes:
    """A small PDF whose one content stream inflates to `inflated_bytes`."""
    compressor = zlib.compressobj(9)
    chunk = b"0" * (1 << 20)
    body = b"".join(compressor.compress(chunk) for _ in range(inflated_bytes // len(chunk))) + compressor.flush()
    return make_pdf(stream=body, stream_dict=b"/Filter /FlateDecode")


def paged_pdf(pages: list[list[str]], title: str = "") -> bytes:
    """A PDF of several pages, each showing its lines top to bottom, with a /Title in its /Info."""
    count = len(pages)
    kids = " ".join(f"{3 + 2 * k} 0 R" for k in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode()]
    font = 3 + 2 * count
    for k, lines in enumerate(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * k} 0 R "
                       f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        shown = " ".join(f"({_escaped(line)}) Tj 0 -14 Td" for line in lines)
        stream = f"BT /F1 10 Tf 1 0 0 1 72 740 Tm {shown} ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(f"<< /Title ({_escaped(title)}) >>".encode())
    return assembled(objects, b"/Info %d 0 R" % len(objects))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def assembled(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """The numbered objects as a PDF file with its cross-reference table; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)
