/* SPDX-License-Identifier: MIT */
/*
 * console.c - where the core's output goes: the screen, the serial port or
 * both, as boot.json's frame_buffer_logging and serial_logging say.  The
 * front ends only provide the raw writers (plat_screen_putc,
 * plat_serial_putc); the choice is made here, the same way on every path.
 */
#include "core.h"

static int to_screen = 1, to_serial = 1; /* both until boot.json is read */

void eb_log_targets(int screen, int serial)
{
	to_screen = screen != 0;
	to_serial = serial != 0;
}

void eb_putc(char c)
{
	if (to_serial)
		plat_serial_putc(c);
	if (to_screen)
		plat_screen_putc(c);
}
