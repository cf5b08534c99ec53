/* SPDX-License-Identifier: MIT */
/*
 * source_iso.c - the "cd" file source (source.h) of the UEFI front end:
 * files from the ISO 9660 volume (common/iso9660.c) on the whole device
 * this image was loaded from.  The firmware starts BOOTX64.EFI from a FAT
 * image (a CD's El Torito EFI image, or the ESP partition of the same ISO
 * written to a disk); the kernel and ramdisk are in the ISO file system of
 * the parent device, read through its DiskIo in 2 MiB requests.
 * Boot services must be up; source_iso_open() first.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <efi.h>
#pragma GCC diagnostic pop

#include "core.h"
#include "iso9660.h"
#include "source.h"
#include "uefi.h"

static EFI_GUID dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
static EFI_GUID block_io_guid = EFI_BLOCK_IO_PROTOCOL_GUID;
static EFI_GUID disk_io_guid = EFI_DISK_IO_PROTOCOL_GUID;

static EFI_DISK_IO_PROTOCOL *disk_io;
static UINT32 media_id;
static struct iso_vol vol;
static const char *medium; /* set by source_iso_open */

/* In requests of up to 2 MiB (1024 blocks): a pinned file's hash
 * (source_filled) takes each while it is in the cache. */
static int blocks_read(void *ctx, uint64_t lba, uint64_t count, void *dst)
{
	(void)ctx;
	for (uint8_t *out = dst; count;) {
		uint64_t n = count < 1024 ? count : 1024;
		EFI_STATUS s = uefi_call_wrapper(disk_io->ReadDisk, 5, disk_io, media_id,
						 lba * ISO_BLOCK, n * ISO_BLOCK, out);
		if (EFI_ERROR(s))
			return eb_error("%s: reading %lu blocks at block %lu failed (status %s)",
					medium, n, lba, efi_status(s));
		source_filled(out, n * ISO_BLOCK);
		out += n * ISO_BLOCK;
		lba += n;
		count -= n;
	}
	return EB_OK;
}

static int iso_size(const char *name, uint64_t *bytes)
{
	return iso_source_size(&vol, name, bytes);
}

static int iso_read_file(const char *name, void *dst, uint64_t bytes)
{
	return iso_source_read(&vol, medium, name, dst, bytes);
}

/* Filled in at run time: no load-time relocation (source_fs.c). */
static struct file_source iso_source;

/* The device holding the partition we were loaded from: our device path
 * cut before its partition nodes (CD-ROM entry, hard-drive partition),
 * resolved to the handle with BlockIo that path names.  The device itself
 * when it is not a partition. */
static int parent_device(EFI_HANDLE dev, EFI_HANDLE *out)
{
	EFI_DEVICE_PATH *dp;
	EFI_STATUS s = uefi_call_wrapper(bs->HandleProtocol, 3, dev, &dp_guid, (void **)&dp);
	if (EFI_ERROR(s))
		return EB_NOTFOUND; /* no path, no parent to find: not our medium */
	/* The path up to its first partition node: OVMF nests them (a CD's
	 * El Torito entry, then a partition it finds inside the FAT image:
	 * .../Sata(...)/CDROM(...)/HD(...)), and the ISO is on the device
	 * before all of them. */
	uint64_t last = 0;
	int nodes = 0, part = 0;
	for (EFI_DEVICE_PATH *n = dp; n->Type != END_DEVICE_PATH_TYPE; nodes++) {
		uint16_t nl = (uint16_t)(n->Length[0] | n->Length[1] << 8);
		if (nl < 4 || nodes == 64)
			return EB_NOTFOUND; /* a path we cannot walk: leave it to the fs source */
		if (n->Type == MEDIA_DEVICE_PATH &&
		    (n->SubType == MEDIA_HARDDRIVE_DP || n->SubType == MEDIA_CDROM_DP)) {
			part = 1;
			break;
		}
		last += nl;
		n = (EFI_DEVICE_PATH *)((uint8_t *)n + nl);
	}
	if (!part) {
		*out = dev;
		return EB_OK;
	}
	uint8_t *copy;
	s = uefi_call_wrapper(bs->AllocatePool, 3, EfiLoaderData, last + 4, (void **)&copy);
	if (EFI_ERROR(s))
		return eb_error("uefi: no memory for a device path (status %s)", efi_status(s));
	memcpy(copy, dp, last);
	EFI_DEVICE_PATH *end = (EFI_DEVICE_PATH *)(copy + last);
	end->Type = END_DEVICE_PATH_TYPE;
	end->SubType = END_ENTIRE_DEVICE_PATH_SUBTYPE;
	end->Length[0] = 4;
	end->Length[1] = 0;
	EFI_DEVICE_PATH *walk = (EFI_DEVICE_PATH *)copy;
	s = uefi_call_wrapper(bs->LocateDevicePath, 3, &block_io_guid, &walk, out);
	int whole = !EFI_ERROR(s) && walk->Type == END_DEVICE_PATH_TYPE;
	uefi_call_wrapper(bs->FreePool, 1, copy);
	return whole ? EB_OK : EB_NOTFOUND;
}

int source_iso_open(const struct file_source **out)
{
	EFI_LOADED_IMAGE *li;
	EFI_STATUS s = uefi_call_wrapper(bs->HandleProtocol, 3, image, &loaded_image_guid,
					 (void **)&li);
	if (EFI_ERROR(s))
		return eb_error("uefi: no LoadedImage protocol (status %s)", efi_status(s));
	EFI_HANDLE dev;
	int st = parent_device(li->DeviceHandle, &dev);
	if (st != EB_OK)
		return st;
	EFI_BLOCK_IO *bio;
	if (EFI_ERROR(uefi_call_wrapper(bs->HandleProtocol, 3, dev, &block_io_guid, (void **)&bio)) ||
	    EFI_ERROR(uefi_call_wrapper(bs->HandleProtocol, 3, dev, &disk_io_guid,
					(void **)&disk_io)) ||
	    !bio->Media || !bio->Media->MediaPresent)
		return EB_NOTFOUND;
	media_id = bio->Media->MediaId;
	uint32_t bsize = bio->Media->BlockSize;
	medium = bsize == ISO_BLOCK ? "cd" : "iso9660 on disk";
	uint64_t blocks = 0;
	if (bsize && bio->Media->LastBlock < (1ull << 48))
		blocks = (bio->Media->LastBlock + 1) * bsize / ISO_BLOCK;
	struct iso_dev idev = { NULL, blocks_read, blocks };
	st = iso_mount(&vol, &idev);
	if (st != EB_OK)
		return st;
	iso_source.medium = medium;
	iso_source.size = iso_size;
	iso_source.read = iso_read_file;
	*out = &iso_source;
	return EB_OK;
}
