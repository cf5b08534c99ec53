/* SPDX-License-Identifier: MIT */
/*
 * efi-bench.c - the UEFI floor applications of `make bench`.  Built twice:
 * as FLOOR it only exits QEMU (firmware time alone); as RAWREAD it reads the
 * file "ramdisk" from its own volume in one request, as fast as the firmware
 * reads a file, then exits.  Exit is isa-debug-exit 0x10 (0x11 on failure).
 */
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <efi.h>

static void out(unsigned char v)
{
	__asm__ volatile("outb %0, $0xf4" : : "a"(v));
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
#else
	(void)image;
	(void)st;
#endif
	out(0x10);
	for (;;)
		__asm__ volatile("hlt");
}
