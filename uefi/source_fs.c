/* SPDX-License-Identifier: MIT */
/*
 * source_fs.c - the "disk" file source (source.h) of the UEFI front end:
 * files through EFI_SIMPLE_FILE_SYSTEM_PROTOCOL on the device this image
 * was loaded from (a disk's ESP, or a CD's El Torito image).  Boot services
 * must be up; source_fs_open() first.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <efi.h>
#pragma GCC diagnostic pop

#include "core.h"
#include "source.h"
#include "uefi.h"

EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;

static EFI_FILE_HANDLE root;

#define FS_CHUNK (2u << 20)

/* Opens `name` (relative to the root, '/' or '\\' separated) for reading.
 * EB_NOTFOUND when absent. */
static int open_file(const char *name, EFI_FILE_HANDLE *f)
{
	CHAR16 path[64];
	size_t n = strlen(name);
	if (n + 2 > sizeof path / sizeof path[0])
		return eb_error("disk: file name '%s' too long", name);
	path[0] = '\\';
	for (size_t i = 0; i <= n; i++)
		path[i + 1] = name[i] == '/' ? '\\' : (CHAR16)(uint8_t)name[i];
	EFI_STATUS s = uefi_call_wrapper(root->Open, 5, root, f, path, EFI_FILE_MODE_READ, 0);
	if (s == EFI_NOT_FOUND)
		return EB_NOTFOUND;
	if (EFI_ERROR(s))
		return eb_error("disk: cannot open '%s' (status %s)", name, efi_status(s));
	return EB_OK;
}

static int fs_size(const char *name, uint64_t *bytes)
{
	EFI_FILE_HANDLE f;
	int st = open_file(name, &f);
	if (st != EB_OK)
		return st;
	union {
		EFI_FILE_INFO info;
		uint8_t raw[512];
	} fi;
	UINTN fisz = sizeof fi;
	EFI_STATUS s = uefi_call_wrapper(f->GetInfo, 4, f, &file_info_guid, &fisz, &fi);
	uefi_call_wrapper(f->Close, 1, f);
	if (EFI_ERROR(s))
		return eb_error("disk: cannot stat '%s' (status %s)", name, efi_status(s));
	/* A directory opens and "reads" as a list of EFI_FILE_INFO records. */
	if (fi.info.Attribute & EFI_FILE_DIRECTORY)
		return eb_error("disk: '%s' is a directory, not a file", name);
	*bytes = fi.info.FileSize;
	return EB_OK;
}

static int fs_read(const char *name, void *dst, uint64_t bytes)
{
	EFI_FILE_HANDLE f;
	int st = open_file(name, &f);
	if (st == EB_NOTFOUND)
		return eb_error("disk: '%s' vanished between its size and its read", name);
	if (st != EB_OK)
		return st;
	/* Reads of FS_CHUNK: large enough that the firmware still batches
	 * the disk I/O, small enough that a pinned file's hash
	 * (source_filled) takes each piece while it is in the cache. */
	uint8_t *out = dst, *end = out + bytes;
	EFI_STATUS s = EFI_SUCCESS;
	UINTN got = 1;
	while (out < end && got) { /* got 0: the file ended early */
		got = (uint64_t)(end - out) < FS_CHUNK ? (UINTN)(end - out) : FS_CHUNK;
		s = uefi_call_wrapper(f->Read, 3, f, &got, out);
		if (EFI_ERROR(s))
			break;
		source_filled(out, got);
		out += got;
	}
	uefi_call_wrapper(f->Close, 1, f);
	if (EFI_ERROR(s))
		return eb_error("disk: reading '%s' (%lu bytes) failed (status %s)", name, bytes,
				efi_status(s));
	if (out != end)
		return eb_error("disk: short read of '%s': the firmware returned %lu of its %lu bytes",
				name, (uint64_t)(out - (uint8_t *)dst), bytes);
	return EB_OK;
}

/* Filled in at run time, as are the other tables of function pointers in
 * uefi/: a static initialiser would need a load-time relocation each
 * (BOOTX64.EFI's size budget: with none, there is no .rela section). */
static struct file_source fs_source;

int source_fs_open(const struct file_source **out)
{
	EFI_LOADED_IMAGE *li;
	EFI_FILE_IO_INTERFACE *fs;
	EFI_STATUS s = uefi_call_wrapper(bs->HandleProtocol, 3, image, &loaded_image_guid,
					 (void **)&li);
	if (EFI_ERROR(s))
		return eb_error("uefi: no LoadedImage protocol (status %s)", efi_status(s));
	s = uefi_call_wrapper(bs->HandleProtocol, 3, li->DeviceHandle, &fs_guid, (void **)&fs);
	if (EFI_ERROR(s))
		return eb_error("uefi: boot device has no file system (status %s)", efi_status(s));
	s = uefi_call_wrapper(fs->OpenVolume, 2, fs, &root);
	if (EFI_ERROR(s))
		return eb_error("uefi: cannot open the boot volume (status %s)", efi_status(s));
	fs_source.medium = "disk";
	fs_source.size = fs_size;
	fs_source.read = fs_read;
	*out = &fs_source;
	return EB_OK;
}
