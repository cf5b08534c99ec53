#!/usr/bin/env python3
"""damage.py IMAGE KIND[,KIND...] - breaks an elfboot image on purpose for the
damaged-image corpus (tests/boot/corpus.list, docs/robustness.md).  Each KIND
is one defect, written the way a bad disk or a bad tool would leave it; the
list is `damage.py --list`.  Kinds compose: gpt-primary,gpt-backup is both."""
import os
import random
import struct
import subprocess
import sys
import tempfile

KERNEL = "kernel-x86_64"
ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1")


def u16(b, o): return struct.unpack_from("<H", b, o)[0]
def u32(b, o): return struct.unpack_from("<I", b, o)[0]
def u64(b, o): return struct.unpack_from("<Q", b, o)[0]


class Image:
    """The image file, its GPT (read, never trusted to be intact) and its ESP."""

    def __init__(self, path):
        self.path = path
        self.f = open(path, "r+b")
        self.sectors = os.path.getsize(path) // 512

    def read(self, lba, n=1):
        self.f.seek(lba * 512)
        return self.f.read(n * 512)

    def write(self, off, data):
        self.f.seek(off)
        self.f.write(data)

    def esp_lba(self):
        # From whichever GPT header still reads; the tool puts it at 1 MiB.
        for lba in (1, self.sectors - 1):
            h = self.read(lba)
            if h[:8] != b"EFI PART":
                continue
            ents = self.read(u64(h, 72), 32)
            for i in range(u32(h, 80)):
                e = ents[i * 128:(i + 1) * 128]
                if e[:16] == bytes.fromhex("28732ac11ff8d211ba4b00a0c93ec93b"):
                    return u64(e, 32)
        return 2048

    def mtools(self, *args, out=False):
        r = subprocess.run([args[0], "-i", f"{self.path}@@{self.esp_lba() * 512}", *args[1:]],
                           check=True, env=ENV, capture_output=True, text=True)
        return r.stdout if out else None


class Fat:
    """Just enough of the ESP's FAT to edit a chain and a root directory entry."""

    def __init__(self, img):
        self.img = img
        self.base = img.esp_lba() * 512
        bs = img.read(self.base // 512)
        self.spc = bs[13]
        res, nfats, rootents = u16(bs, 14), bs[16], u16(bs, 17)
        total = u16(bs, 19) or u32(bs, 32)
        self.fatsz = u16(bs, 22) or u32(bs, 36)
        rootsec = (rootents * 32 + 511) // 512
        self.clusters = (total - res - nfats * self.fatsz - rootsec) // self.spc
        self.kind = 12 if self.clusters < 4085 else 16 if self.clusters < 65525 else 32
        self.fats = [self.base + (res + n * self.fatsz) * 512 for n in range(nfats)]
        self.root_off = self.base + (res + nfats * self.fatsz) * 512
        self.root_bytes = rootsec * 512
        self.data_off = self.root_off + self.root_bytes
        self.root_cluster = u32(bs, 44) if self.kind == 32 else 0

    def get(self, c):
        f = self.img.f
        if self.kind == 32:
            f.seek(self.fats[0] + 4 * c)
            return u32(f.read(4), 0) & 0x0FFFFFFF
        if self.kind == 16:
            f.seek(self.fats[0] + 2 * c)
            return u16(f.read(2), 0)
        f.seek(self.fats[0] + c + c // 2)
        v = u16(f.read(2), 0)
        return v >> 4 if c & 1 else v & 0xFFF

    def set(self, c, v):
        f = self.img.f
        for fat in self.fats:
            if self.kind == 32:
                f.seek(fat + 4 * c)
                f.write(struct.pack("<I", v))
            elif self.kind == 16:
                f.seek(fat + 2 * c)
                f.write(struct.pack("<H", v))
            else:
                f.seek(fat + c + c // 2)
                old = u16(f.read(2), 0)
                new = (old & 0x000F) | (v << 4) if c & 1 else (old & 0xF000) | v
                f.seek(fat + c + c // 2)
                f.write(struct.pack("<H", new))

    def chain(self, first):
        out, c = [], first
        eoc = {12: 0xFF8, 16: 0xFFF8, 32: 0x0FFFFFF8}[self.kind]
        while 2 <= c < eoc and len(out) <= self.clusters:
            out.append(c)
            c = self.get(c)
        return out

    def root_entries(self):
        """(offset, raw entry) of each short entry in the root directory."""
        if self.kind == 32:
            cb = self.spc * 512
            spans = [(self.data_off + (c - 2) * cb, cb) for c in self.chain(self.root_cluster)]
        else:
            spans = [(self.root_off, self.root_bytes)]
        for off, n in spans:
            self.img.f.seek(off)
            raw = self.img.f.read(n)
            for i in range(0, n, 32):
                e = raw[i:i + 32]
                if e[0] not in (0, 0xE5) and e[11] != 0x0F:
                    yield off + i, e

    def kernel_entry(self):
        """The kernel's directory entry: the one whose first cluster mtools
        reports for ::/kernel-x86_64 (its short name is mangled)."""
        out = self.img.mtools("mshowfat", f"::/{KERNEL}", out=True)
        first = int(out.split("<")[1].split("-")[0].split(">")[0])
        for off, e in self.root_entries():
            c = u16(e, 26) | (u16(e, 20) << 16 if self.kind == 32 else 0)
            if c == first and not e[11] & 0x18:
                return off, e, first
        sys.exit("damage.py: kernel directory entry not found")


# ---- the damage kinds -------------------------------------------------------
def _flip(img, off):
    img.f.seek(off)
    b = img.f.read(1)[0]
    img.write(off, bytes([b ^ 0xFF]))


def gpt_primary(img):
    """Primary GPT header (LBA 1) overwritten with garbage (no signature)."""
    img.write(512, random.Random(1).randbytes(512))


# One byte flipped inside a CRC-covered field: the disk GUID of a header
# (LBA 1 or the last LBA), or the first entry's name in the primary array.
def gpt_primary_header(img):
    """Primary GPT header: one byte of its disk GUID flipped (CRC fails)."""
    _flip(img, 512 + 56)


def gpt_primary_entries(img):
    """Primary GPT entry array: one byte of the first entry's name flipped."""
    _flip(img, 2 * 512 + 56)


def gpt_backup(img):
    """Backup GPT header (last LBA): one byte of its disk GUID flipped."""
    _flip(img, (img.sectors - 1) * 512 + 56)


def gpt_both(img):
    """Both GPT headers: one byte of each disk GUID flipped."""
    gpt_primary_header(img)
    gpt_backup(img)


def esp_boot_sector(img):
    """The ESP's boot sector (its first sector) zeroed."""
    img.write(img.esp_lba() * 512, bytes(512))


def _kernel_chain(img, need=2):
    fat = Fat(img)
    _, _, first = fat.kernel_entry()
    ch = fat.chain(first)
    if len(ch) < need:
        sys.exit(f"damage.py: the kernel has {len(ch)} clusters; this damage needs {need}")
    return fat, ch


def chain_free(img):
    """The kernel's first cluster links to a free cluster (0)."""
    fat, ch = _kernel_chain(img)
    fat.set(ch[0], 0)


def chain_out_of_range(img):
    """The kernel's first cluster links past the FAT's last cluster."""
    fat, ch = _kernel_chain(img)
    fat.set(ch[0], fat.clusters + 2)


def chain_loop(img):
    """The kernel's second cluster links back to its first: a loop."""
    fat, ch = _kernel_chain(img)
    fat.set(ch[1], ch[0])


def size_larger(img):
    """The kernel's directory entry claims 4 clusters more than its chain."""
    fat = Fat(img)
    off, e, _ = fat.kernel_entry()
    img.write(off + 28, struct.pack("<I", u32(e, 28) + 4 * fat.spc * 512))


def size_smaller(img):
    """The kernel's directory entry claims one cluster less than its chain
    holds (the chain runs on past the file's end)."""
    fat = Fat(img)
    off, e, _ = fat.kernel_entry()
    size = u32(e, 28)
    cb = fat.spc * 512
    img.write(off + 28, struct.pack("<I", (size - 1) // cb * cb))


def _replace_kernel(img, data=None, directory=False):
    img.mtools("mdel", f"::/{KERNEL}")
    if directory:
        img.mtools("mmd", f"::/{KERNEL}")
        return
    with tempfile.NamedTemporaryFile() as t:
        t.write(data)
        t.flush()
        img.mtools("mcopy", t.name, f"::/{KERNEL}")


def kernel_empty(img):
    """The kernel file replaced by an empty file."""
    _replace_kernel(img, b"")


def kernel_not_elf(img):
    """The kernel file replaced by a short text file."""
    _replace_kernel(img, b"hello, this is not a kernel\n")


def kernel_garbage(img):
    """The kernel file replaced by 64 KiB of random bytes (no ELF header)."""
    _replace_kernel(img, random.Random(3).randbytes(65536))


def kernel_dir(img):
    """The kernel file replaced by a directory of the same name."""
    _replace_kernel(img, directory=True)


def missing_kernel(img):
    """The kernel file deleted."""
    img.mtools("mdel", f"::/{KERNEL}")


def stage2(img):
    """stage2's header in the BIOS boot partition overwritten."""
    img.write(34 * 512, b"\xde\xad" * 256)


def _iso_kernel_record(img):
    """Offset of the kernel's record in an ISO image's root directory."""
    pvd = img.read(64, 4)
    if pvd[1:6] != b"CD001":
        sys.exit("damage.py: not an ISO 9660 image")
    root_lba, root_size = u32(pvd, 156 + 2), u32(pvd, 156 + 10)
    img.f.seek(root_lba * 2048)
    d = img.f.read(root_size)
    off = 0
    while off < len(d):
        if d[off] == 0:
            off = (off // 2048 + 1) * 2048
            continue
        n = d[off + 32]
        if d[off + 33:off + 33 + n].split(b";")[0].rstrip(b".").lower() == KERNEL.encode():
            return root_lba * 2048 + off
        off += d[off]
    sys.exit("damage.py: no kernel record in the ISO's root directory")


def iso_missing_kernel(img):
    """The kernel's ISO 9660 directory record renamed: no such file."""
    rec = _iso_kernel_record(img)
    img.write(rec + 33, b"kernel-x86_6_")


def iso_kernel_extent(img):
    """The kernel's ISO 9660 extent moved past the end of the volume."""
    rec = _iso_kernel_record(img)
    img.write(rec + 2, struct.pack("<I", 0x7ffffff0) + struct.pack(">I", 0x7ffffff0))


KINDS = {
    "gpt-primary": gpt_primary, "gpt-primary-header": gpt_primary_header,
    "gpt-primary-entries": gpt_primary_entries, "gpt-backup": gpt_backup, "gpt-both": gpt_both,
    "esp-boot-sector": esp_boot_sector,
    "chain-free": chain_free, "chain-out-of-range": chain_out_of_range,
    "chain-loop": chain_loop, "size-larger": size_larger, "size-smaller": size_smaller,
    "kernel-empty": kernel_empty, "kernel-garbage": kernel_garbage,
    "kernel-not-elf": kernel_not_elf, "kernel-dir": kernel_dir,
    "missing-kernel": missing_kernel, "stage2": stage2,
    "iso-missing-kernel": iso_missing_kernel, "iso-kernel-extent": iso_kernel_extent,
    "fat-loop": chain_loop,  # the older name
}


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        for k, fn in KINDS.items():
            print(f"{k:20} {fn.__doc__.splitlines()[0]}")
        return
    if len(sys.argv) != 3:
        sys.exit("usage: damage.py IMAGE KIND[,KIND...] | damage.py --list")
    img = Image(sys.argv[1])
    for kind in sys.argv[2].split(","):
        if kind not in KINDS:
            sys.exit(f"damage.py: unknown damage {kind} (see damage.py --list)")
        KINDS[kind](img)
        img.f.flush()
    img.f.close()


if __name__ == "__main__":
    main()
