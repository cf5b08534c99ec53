/* SPDX-License-Identifier: MIT */
/*
 * uefi.h - what the files of the UEFI front end (uefi/) share: the image
 * handle, boot services (poisoned once ExitBootServices is attempted) and
 * status names for error lines.  Include after <efi.h>.
 */
#ifndef ELFBOOT_UEFI_H
#define ELFBOOT_UEFI_H

struct file_source;

extern EFI_HANDLE image;
extern EFI_BOOT_SERVICES *bs;
/* EFI_LOADED_IMAGE_PROTOCOL_GUID, once for the three sources (source_fs.c). */
extern EFI_GUID loaded_image_guid;

/* "0x800000000000000e EFI_NOT_FOUND", for error lines. */
const char *efi_status(EFI_STATUS s);

/* source_fs.c: the SimpleFileSystem of the device this image was loaded
 * from.  EB_ERR with the reason when that device has none. */
int source_fs_open(const struct file_source **out);
/* source_iso.c: the ISO 9660 volume on the (parent) device this image was
 * loaded from; EB_NOTFOUND when that device holds none. */
int source_iso_open(const struct file_source **out);

/* source_pxe.c: TFTP through the PXE base code of the device this image
 * was loaded from.  EB_NOTFOUND (no message) when that device has none:
 * not a network boot.  The disk/CD BOOTX64.EFI links source_pxe_none.c
 * instead (the same EB_NOTFOUND; a network boot is an error line). */
int source_pxe_open(const struct file_source **out);
/* "on TFTP server 10.0.2.2", for the loader's "not found" line. */
const char *source_pxe_place(void);

#endif
