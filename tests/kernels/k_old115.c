/* SPDX-License-Identifier: MIT */
/* k_old115.c - the 115-byte config of bootloader_api 0.11.0. */
#define OLD_LEN 115
#include "k_old124.c"
