#!/usr/bin/env python3
# efipack.py RAW OUT [NAME] - packs BOOTX64.EFI's constants (either link;
# NAME labels the line) (issue 10's room in
# the 48 KiB budget).  RAW is the .rodata section of the first link; OUT is
# what uefi/rodata_pack.asm includes: the unpacked length and the FNV-1a
# sum of RAW (both 32-bit little-endian), then s2pack.py's stream.
# uefi/main.c's rodata_unpack reads it at boot.
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import s2pack  # noqa: E402


def fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h


def main():
    raw = open(sys.argv[1], 'rb').read()
    stream = s2pack.compress(raw)
    if s2pack.decompress(stream, len(raw)) != raw:
        sys.exit("efipack: error: the packed stream does not unpack to .rodata")
    out = struct.pack('<II', len(raw), fnv1a(raw)) + stream
    tmp = sys.argv[2] + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(out)
    os.replace(tmp, sys.argv[2])
    name = sys.argv[3] if len(sys.argv) > 3 else "BOOTX64.EFI"
    print("%s: .rodata %d bytes packed to %d" % (name, len(raw), len(out)))


if __name__ == '__main__':
    main()
