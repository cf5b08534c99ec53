#!/usr/bin/env python3
"""damage.py IMAGE WHAT - breaks an elfboot image on purpose for the error-
path tests: missing-kernel (deletes kernel-x86_64 from the FAT), fat-loop
(makes the kernel's second cluster link back to its first), stage2
(overwrites stage2's header in the BIOS boot partition), gpt-primary-header,
gpt-primary-entries, gpt-backup, gpt-both (one byte of a GPT header or the
primary entry array flipped, so its CRC fails)."""
import os
import struct
import subprocess
import sys

img, what = sys.argv[1], sys.argv[2]
ESP = 2048 * 512
env = dict(os.environ, MTOOLS_SKIP_CHECK="1")

with open(img, "r+b") as f:
    if what == "missing-kernel":
        subprocess.run(["mdel", "-i", f"{img}@@{ESP}", "::/kernel-x86_64"], check=True, env=env)
    elif what == "stage2":
        f.seek(34 * 512)
        f.write(b"\xde\xad" * 256)
    elif what == "fat-loop":
        f.seek(ESP)
        bs = f.read(512)
        bps, spc, res, nfats = struct.unpack_from("<HBHB", bs, 11)
        fatsz = struct.unpack_from("<H", bs, 22)[0] or struct.unpack_from("<I", bs, 36)[0]
        out = subprocess.run(["mshowfat", "-i", f"{img}@@{ESP}", "::/kernel-x86_64"],
                             check=True, env=env, capture_output=True, text=True).stdout
        first = int(out.split("<")[1].split("-")[0].split(">")[0])
        total = struct.unpack_from("<H", bs, 19)[0] or struct.unpack_from("<I", bs, 32)[0]
        root = (struct.unpack_from("<H", bs, 17)[0] * 32 + 511) // 512
        clusters = (total - res - nfats * fatsz - root) // spc
        kind = 12 if clusters < 4085 else 16 if clusters < 65525 else 32
        for n in range(nfats):
            fat = ESP + (res + n * fatsz) * 512
            c = first + 1  # second cluster -> first: a loop
            if kind == 16:
                f.seek(fat + 2 * c)
                f.write(struct.pack("<H", first))
            elif kind == 32:
                f.seek(fat + 4 * c)
                f.write(struct.pack("<I", first))
            else:
                off = fat + c + c // 2
                f.seek(off)
                v = struct.unpack("<H", f.read(2))[0]
                v = (v & 0x000F) | (first << 4) if c & 1 else (v & 0xF000) | first
                f.seek(off)
                f.write(struct.pack("<H", v))
    elif what in ("gpt-primary-header", "gpt-primary-entries", "gpt-backup", "gpt-both"):
        # One byte flipped inside a CRC-covered field: the disk GUID of a
        # header (LBA 1 or the last LBA), or the first entry's name.
        last = os.path.getsize(img) // 512 - 1
        spots = {"gpt-primary-header": [512 + 56], "gpt-primary-entries": [2 * 512 + 56],
                 "gpt-backup": [last * 512 + 56],
                 "gpt-both": [512 + 56, last * 512 + 56]}[what]
        for off in spots:
            f.seek(off)
            b = f.read(1)[0]
            f.seek(off)
            f.write(bytes([b ^ 0xff]))
    else:
        sys.exit(f"damage.py: unknown damage {what}")
