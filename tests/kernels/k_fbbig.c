/* SPDX-License-Identifier: MIT */
/* k_fbbig.c - k_fbmin asking for more than either firmware's default mode. */
#define MIN_W 1280
#define MIN_H 1024
#include "k_fbmin.c"
