#!/usr/bin/env python3
"""check_gpt.py IMAGE - validates an elfboot disk image's partitioning:
protective MBR, primary and backup GPT headers and entry arrays with their
CRC32s, and an EFI System Partition inside the usable area."""
import struct
import sys
import zlib

ESP = bytes.fromhex("28732ac11ff8d211ba4b00a0c93ec93b")


def fail(msg):
    print("check_gpt:", msg)
    sys.exit(1)


def header(img, lba, total):
    h = img[lba * 512:lba * 512 + 512]
    if h[:8] != b"EFI PART":
        fail(f"no GPT signature at LBA {lba}")
    size = struct.unpack_from("<I", h, 12)[0]
    crc = struct.unpack_from("<I", h, 16)[0]
    hh = bytearray(h[:size])
    hh[16:20] = b"\0\0\0\0"
    if zlib.crc32(hh) != crc:
        fail(f"header CRC mismatch at LBA {lba}")
    my, alt, first, last = struct.unpack_from("<QQQQ", h, 24)
    elba, n, esz, ecrc = struct.unpack_from("<QIII", h, 72)
    if my != lba or alt != (total - 1 if lba == 1 else 1):
        fail(f"bad my/alternate LBA in header at {lba}")
    ents = img[elba * 512:elba * 512 + n * esz]
    if zlib.crc32(ents) != ecrc:
        fail(f"entry array CRC mismatch for header at {lba}")
    return first, last, ents, esz


def main():
    img = open(sys.argv[1], "rb").read()
    total = len(img) // 512
    if img[510:512] != b"\x55\xaa" or img[446 + 4] != 0xEE:
        fail("no protective MBR")
    first, last, ents, esz = header(img, 1, total)
    _, _, ents2, _ = header(img, total - 1, total)
    if ents != ents2:
        fail("backup entries differ from primary")
    part = ents[:esz]
    if part[:16] != ESP:
        fail("first partition is not an EFI System Partition")
    s, e = struct.unpack_from("<QQ", part, 32)
    if not (first <= s <= e <= last):
        fail("ESP outside the usable LBAs")
    if img[s * 512 + 510:s * 512 + 512] != b"\x55\xaa":
        fail("ESP has no FAT boot sector")
    print(f"ok: {total} sectors, ESP {s}-{e}")


main()
