#!/usr/bin/env python3
# mkfat.py OUTDIR - writes the seed disks of fuzz_fat: small GPT disks (both
# GPT copies, CRCs right) whose EFI System Partition holds a FAT12, FAT16 or
# FAT32 file system with kernel-x86_64 (in a fragmented cluster chain),
# boot.json, EFI/BOOT/BOOTX64.EFI and dir/sub/"long file name.txt" (a long
# name).  FAT16/32 need thousands of clusters, so those images end after the
# last cluster in use: the partition is declared full size, and fat.c never
# reads past what it needs.  Byte 0 (stage1 code, unread by fat.c) is the
# harness's mode byte: 1 = fix GPT CRCs after mutation (see fuzz_fat.c).
import os
import struct
import sys
import zlib

ESP = bytes.fromhex("28732ac11ff8d211ba4b00a0c93ec93b")


def gpt(disk_sectors, nent, part_first, part_last):
    """Primary (LBA 0..) and backup (..end) GPT structures as {lba: bytes}."""
    ents = bytearray(nent * 128)
    ents[0:16] = ESP
    ents[16:32] = bytes(range(1, 17))
    struct.pack_into("<QQ", ents, 32, part_first, part_last)
    name = "EFI system".encode("utf-16-le")
    ents[56:56 + len(name)] = name
    esec = (len(ents) + 511) // 512
    last = disk_sectors - 1

    def header(my, alt, elba):
        h = bytearray(92)
        h[0:8] = b"EFI PART"
        struct.pack_into("<IIIIQQQQ", h, 8, 0x10000, 92, 0, 0, my, alt, 2 + esec,
                         last - 1 - esec)
        h[56:72] = bytes(range(0x40, 0x50))
        struct.pack_into("<QIII", h, 72, elba, nent, 128, zlib.crc32(ents))
        struct.pack_into("<I", h, 16, zlib.crc32(h))
        return bytes(h) + bytes(420)

    mbr = bytearray(512)
    mbr[0] = 1
    mbr[446:462] = struct.pack("<B3sB3sII", 0x80, b"\0\2\0", 0xee, b"\xff\xff\xff", 1,
                               min(last, 0xffffffff))
    mbr[510:512] = b"\x55\xaa"
    return {0: bytes(mbr), 1: header(1, last, 2), 2: bytes(ents),
            last - esec: bytes(ents), last: header(last, 1, last - esec)}


def short83(name):
    base, _, ext = name.partition(".")
    return (base.upper()[:8].ljust(8) + ext.upper()[:3].ljust(3)).encode()


def lfn_entries(longname, short):
    csum = 0
    for b in short:
        csum = (((csum & 1) << 7) + (csum >> 1) + b) & 0xff
    chars = [ord(c) for c in longname] + [0]
    chars += [0xffff] * (-len(chars) % 13)
    n = len(chars) // 13
    out = []
    for seq in range(n, 0, -1):
        part = chars[(seq - 1) * 13:seq * 13]
        e = bytearray(32)
        e[0] = seq | (0x40 if seq == n else 0)
        e[11] = 0x0f
        e[13] = csum
        for k, off in enumerate((1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30)):
            struct.pack_into("<H", e, off, part[k])
        out.append(bytes(e))
    return b"".join(out)


def dirent(short, attr, cluster, size):
    e = bytearray(32)
    e[0:11] = short
    e[11] = attr
    struct.pack_into("<H", e, 20, cluster >> 16)
    struct.pack_into("<HI", e, 26, cluster & 0xffff, size)
    return bytes(e)


def build(kind, nent):
    spc = 1
    clusters = {12: 60, 16: 4200, 32: 66000}[kind]
    reserved = 32 if kind == 32 else 1
    nfats = 1 if kind == 32 else 2  # one FAT keeps the FAT32 seed small
    root_entries = 0 if kind == 32 else 16
    entsize = {12: 1.5, 16: 2, 32: 4}[kind]
    fat_sectors = int((clusters + 2) * entsize + 511) // 512 + 1
    root_sectors = root_entries * 32 // 512
    total = reserved + nfats * fat_sectors + root_sectors + clusters * spc
    esec = (nent * 128 + 511) // 512
    part_first = 2 + esec
    disk_sectors = part_first + total + esec + 1
    fat = {}
    nxt = [2]
    data = {}

    def alloc(payload, gap=0):
        chain = []
        nbytes = max(len(payload), 1)
        for i in range((nbytes + 511) // 512):
            if gap and i == 2:
                nxt[0] += gap  # leave a hole: a fragmented chain
            chain.append(nxt[0])
            nxt[0] += 1
        for a, b in zip(chain, chain[1:]):
            fat[a] = b
        fat[chain[-1]] = 0x0fffffff
        for i, c in enumerate(chain):
            data[c] = payload[i * 512:(i + 1) * 512].ljust(512, b"\0")
        return chain[0]

    def mkdir(entries, parent, self_cl=None):
        body = b""
        if self_cl is not None:
            body += dirent(b".          ", 0x10, self_cl, 0) + dirent(b"..         ", 0x10, parent, 0)
        return body + b"".join(entries)

    kernel = bytes((i * 7 + 3) % 251 for i in range(1700))
    bootjson = b'{ "log_level": "Debug", "frame_buffer": { "minimum_framebuffer_width": 640 } }'
    k_cl = alloc(kernel, gap=3)
    j_cl = alloc(bootjson)
    efi_cl = alloc(b"MZ" + bytes(600))
    # Subdirectories: allocate the clusters first, then fill them in.
    boot_dir, efi_dir, sub_dir, dir_dir = alloc(b""), alloc(b""), alloc(b""), alloc(b"")
    long_cl = alloc(b"hello from a long file name\n")
    lname = short83("LONGFI~1.TXT")
    data[sub_dir] = mkdir([lfn_entries("long file name.txt", lname),
                           dirent(lname, 0x20, long_cl, 28)], dir_dir, sub_dir).ljust(512, b"\0")
    data[dir_dir] = mkdir([dirent(short83("SUB"), 0x10, sub_dir, 0)], 0, dir_dir).ljust(512, b"\0")
    data[boot_dir] = mkdir([dirent(short83("BOOTX64.EFI"), 0x20, efi_cl, 602)], efi_dir,
                           boot_dir).ljust(512, b"\0")
    data[efi_dir] = mkdir([dirent(short83("BOOT"), 0x10, boot_dir, 0)], 0, efi_dir).ljust(512, b"\0")
    kshort, jshort = short83("KERNEL~1"), short83("BOOT~1.JSO")
    root = (dirent(b"ELFBOOT    ", 0x08, 0, 0) + lfn_entries("kernel-x86_64", kshort) +
            dirent(kshort, 0x20, k_cl, len(kernel)) + lfn_entries("boot.json", jshort) +
            dirent(jshort, 0x20, j_cl, len(bootjson)) +
            dirent(short83("EFI"), 0x10, efi_dir, 0) + dirent(short83("DIR"), 0x10, dir_dir, 0))
    if kind == 32:
        root_cl = alloc(root)
    bpb = bytearray(512)
    bpb[0:3] = b"\xeb\x58\x90" if kind == 32 else b"\xeb\x3c\x90"
    bpb[3:11] = b"MSWIN4.1"
    struct.pack_into("<HBHBHHBHHHII", bpb, 11, 512, spc, reserved, nfats, root_entries,
                     total if total < 0x10000 and kind != 32 else 0, 0xf8,
                     0 if kind == 32 else fat_sectors, 32, 64, part_first,
                     total if total >= 0x10000 or kind == 32 else 0)
    if kind == 32:
        struct.pack_into("<IHHIHH", bpb, 36, fat_sectors, 0, 0, root_cl, 1, 6)
        bpb[64] = 0x80
        bpb[66] = 0x29
        bpb[71:82] = b"ELFBOOT    "
        bpb[82:90] = b"FAT32   "
    else:
        bpb[36] = 0x80
        bpb[38] = 0x29
        bpb[43:54] = b"ELFBOOT    "
        bpb[54:62] = b"FAT%d   " % kind
    bpb[510:512] = b"\x55\xaa"
    fatb = bytearray(fat_sectors * 512)
    fat[0], fat[1] = 0x0ffffff8, 0x0fffffff
    for c, v in fat.items():
        if kind == 12:
            v &= 0xfff
            off = c + c // 2
            old = struct.unpack_from("<H", fatb, off)[0]
            new = (old & 0x000f) | (v << 4) if c & 1 else (old & 0xf000) | v
            struct.pack_into("<H", fatb, off, new)
        elif kind == 16:
            struct.pack_into("<H", fatb, 2 * c, v & 0xffff)
        else:
            struct.pack_into("<I", fatb, 4 * c, v)
    sectors = dict(gpt(disk_sectors, nent, part_first, part_first + total - 1))
    p = part_first
    sectors[p] = bytes(bpb)
    fat_lba = p + reserved
    for f in range(nfats):
        for i in range(fat_sectors):
            sectors[fat_lba + f * fat_sectors + i] = bytes(fatb[i * 512:(i + 1) * 512])
    root_lba = fat_lba + nfats * fat_sectors
    if kind != 32:
        sectors[root_lba] = root.ljust(512, b"\0")
    data_lba = root_lba + root_sectors
    for c, b in data.items():
        sectors[data_lba + (c - 2) * spc] = b
    # Small disks keep the backup GPT; big ones end after the last used sector.
    used = disk_sectors if kind == 12 else data_lba + max(data) - 1
    img = bytearray(used * 512)
    for lba, b in sectors.items():
        if lba < used:
            img[lba * 512:lba * 512 + len(b)] = b
    return bytes(img)


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for kind, nent in ((12, 4), (12, 128), (16, 4), (32, 4)):
        with open(os.path.join(out, "fat%d-gpt%d.img" % (kind, nent)), "wb") as f:
            f.write(build(kind, nent))
    # The CRC checks themselves: the same FAT12 disk with mode byte 0.
    img = bytearray(build(12, 4))
    img[0] = 0
    with open(os.path.join(out, "fat12-strict.img"), "wb") as f:
        f.write(img)
    # A damaged primary GPT: the backup at the disk's end must be used.
    img[512:1024] = bytes(512)
    with open(os.path.join(out, "fat12-backup.img"), "wb") as f:
        f.write(img)
