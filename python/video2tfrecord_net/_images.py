"""Stored images back to numpy arrays: JPEG and 8-bit PNG through Pillow, 16-bit PNG here (Pillow reduces 16-bit
color PNGs to 8 bits), RAW as the row-major little-endian samples it is."""

import io
import struct
import zlib

import numpy as np


def decode(data, image_format, dtype, height, width, channels):
    """One image as [H, W, C] uint8 or uint16."""
    if image_format == "RAW":
        array = np.frombuffer(data, dtype="<u2" if dtype == "uint16" else np.uint8)
        return array.reshape(height, width, channels).astype(np.uint16 if dtype == "uint16" else np.uint8, copy=False)
    if image_format == "PNG" and _png_depth(data) == 16:
        array = _png16(data)
    else:
        from PIL import Image
        array = np.asarray(Image.open(io.BytesIO(data)))
        if dtype == "uint16":
            array = array.astype(np.uint16)
    return array.reshape(height, width, channels)


def _png_depth(data):
    return data[24] if len(data) > 25 and data[:8] == b"\x89PNG\r\n\x1a\n" else 8


def _png16(data):
    """A non-interlaced 16-bit PNG (gray, gray+alpha, RGB, RGBA), as libpng writes it for OpenCV."""
    pos, chunks, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 16 or interlace != 0:
        raise ValueError("only non-interlaced 16-bit PNGs are decoded here")
    channels = {0: 1, 4: 2, 2: 3, 6: 4}[color]
    stride = width * channels * 2
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    bpp = channels * 2
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if kind == 0:
            row = line
        elif kind == 2:
            row = (line + previous) & 0xFF
        else:
            # Sub, Average and Paeth depend on the bytes just decoded in the same row: one pixel at a time.
            row = np.zeros(stride, dtype=np.int32)
            for x in range(stride):
                a = row[x - bpp] if x >= bpp else 0
                b = previous[x]
                if kind == 1:
                    predictor = a
                elif kind == 3:
                    predictor = (a + b) >> 1
                else:
                    c = previous[x - bpp] if x >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
                row[x] = (line[x] + predictor) & 0xFF
        out[y] = row
        previous = row
    return out.view(">u2").reshape(height, width, channels).astype(np.uint16)
