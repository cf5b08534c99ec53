/* SPDX-License-Identifier: MIT */
/* crc32.c - the CRC-32 of GPT headers and partition arrays (IEEE 802.3,
 * reflected, as the UEFI spec uses); shared by the BIOS GPT reader and the
 * host tool's GPT writer.  Bitwise: it only ever sees a few KiB. */
#include "core.h"

uint32_t eb_crc32(const void *data, uint64_t n)
{
	const uint8_t *p = data;
	uint32_t c = 0xffffffffu;
	for (uint64_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}
