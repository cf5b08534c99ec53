/* SPDX-License-Identifier: MIT */
/*
 * console.c - where the core's output goes: the screen, the serial port or
 * both, as boot.json's frame_buffer_logging and serial_logging say, and
 * which lines reach the screen: errors and warnings always, progress (Info
 * and below) only when frame_buffer_logging asks for it.  The front ends
 * only provide the raw writers (plat_screen_putc, plat_serial_putc); the
 * choice is made here, the same way on every path.
 */
#include "core.h"
#include "cpu.h"

static int to_screen = 1, to_serial = 1; /* both until boot.json is read */
/* Every level until boot.json is read: an early line is an error anyway. */
static int screen_max = EB_LOG_TRACE;
static int echo; /* boot.json _test_screen_echo */

/* QEMU's isa-debugcon port: a test reads what reached the screen writer
 * there, since the screen itself (GOP pixels, VGA cells) is not text. */
#define DEBUGCON_PORT 0xe9

void eb_log_targets(int screen, int serial)
{
	to_screen = screen != 0;
	to_serial = serial != 0;
}

void eb_log_screen_max(int level)
{
	screen_max = level;
}

void eb_console_echo(int on)
{
	echo = on != 0;
}

void eb_log_putc(int level, char c)
{
	if (to_serial)
		plat_serial_putc(c);
	/* Progress stays off the screen by default: on UEFI each line drawn
	 * through the firmware's text console costs 15-25 ms under QEMU. */
	if (to_screen && level <= screen_max) {
		plat_screen_putc(c);
		if (echo)
			outb(DEBUGCON_PORT, (uint8_t)c);
	}
}

void eb_putc(char c)
{
	eb_log_putc(EB_LOG_ERROR, c);
}
