/* SPDX-License-Identifier: MIT */
/* k_smp_x2.c - k_smp asking for x2APIC mode (request flags bit 0). */
#define X2APIC 1
#include "k_smp.c"
