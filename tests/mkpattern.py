#!/usr/bin/env python3
"""mkpattern.py OUT SIZE [--header] - writes SIZE bytes where byte i is
(i * 7 + 3) % 251; with --header the first 16 bytes are "EBRAMDSK" and the
size (u64), as k_ramdisk expects."""
import struct
import sys

out, size = sys.argv[1], int(sys.argv[2], 0)
period = bytes((i * 7 + 3) % 251 for i in range(251))
data = bytearray(period * (size // 251 + 1))[:size]
if "--header" in sys.argv:
    data[:16] = b"EBRAMDSK" + struct.pack("<Q", size)
with open(out, "wb") as f:
    f.write(data)
