/* SPDX-License-Identifier: MIT */
/*
 * efi-bench.c - the UEFI floor applications of `make bench`.  Built twice:
 * as FLOOR it only exits QEMU (firmware time alone); as RAWREAD it reads the
 * file "ramdisk" from its own volume in one request, as fast as the firmware
 * reads a file, then exits; as EXITBS it leaves boot services first (what
 * every OS loader must do: the firmware's drivers shut down, e.g. the NIC's
 * option ROM).  Exit is isa-debug-exit 0x10 (0x11 on failure), after a
 * serial line with the TSC (the virtual time under QEMU's -icount).
 */
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <efi.h>

static void out(unsigned char v)
{
	__asm__ volatile("outb %0, $0xf4" : : "a"(v));
}

static void com1(char c)
{
	unsigned char lsr;
	do
		__asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((unsigned short)0x3fd));
	while (!(lsr & 0x20));
	__asm__ volatile("outb %0, %1" : : "a"(c), "Nd"((unsigned short)0x3f8));
}

/* "bench: tsc N" on COM1 (OVMF has set the UART up). */
static void tsc_line(void)
{
	unsigned lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	unsigned long long t = (unsigned long long)hi << 32 | lo;
	char d[24];
	int i = 0;
	do
		d[i++] = (char)('0' + t % 10);
	while (t /= 10);
	for (const char *p = "bench: tsc "; *p; p++)
		com1(*p);
	while (i)
		com1(d[--i]);
	com1('\r');
	com1('\n');
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
#ifdef RAWREAD
	EFI_GUID lip = EFI_LOADED_IMAGE_PROTOCOL_GUID, sfs = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_GUID fig = EFI_FILE_INFO_ID;
	EFI_BOOT_SERVICES *bs = st->BootServices;
	EFI_LOADED_IMAGE *li;
	EFI_FILE_IO_INTERFACE *vol;
	EFI_FILE_HANDLE root, f;
	union { EFI_FILE_INFO i; unsigned char raw[512]; } info;
	UINTN isz = sizeof info;
	EFI_PHYSICAL_ADDRESS buf;
	if (bs->HandleProtocol(image, &lip, (void **)&li) || bs->HandleProtocol(li->DeviceHandle, &sfs, (void **)&vol) ||
	    vol->OpenVolume(vol, &root) || root->Open(root, &f, L"\\ramdisk", EFI_FILE_MODE_READ, 0) ||
	    f->GetInfo(f, &fig, &isz, &info))
		out(0x11);
	UINTN n = info.i.FileSize;
	if (bs->AllocatePages(AllocateAnyPages, EfiLoaderData, (n + 4095) / 4096, &buf) ||
	    f->Read(f, &n, (void *)(UINTN)buf) || n != info.i.FileSize)
		out(0x11);
#elif defined(EXITBS)
	/* The map key goes stale when an event allocates in between: retry. */
	/* The map buffer from the pool, not static: a 64 KiB array would be
	 * stored in the file and make this floor slower to load than it is. */
	EFI_BOOT_SERVICES *bs = st->BootServices;
	UINTN cap = 64 * 1024;
	void *map;
	if (bs->AllocatePool(EfiLoaderData, cap, &map))
		out(0x11);
	for (int tries = 0;; tries++) {
		UINTN size = cap, key, dsize;
		UINT32 dver;
		if (tries == 8 || bs->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)map, &key, &dsize, &dver))
			out(0x11);
		if (!bs->ExitBootServices(image, key))
			break;
	}
#else
	(void)image;
	(void)st;
#endif
	tsc_line();
	out(0x10);
	for (;;)
		__asm__ volatile("hlt");
}
