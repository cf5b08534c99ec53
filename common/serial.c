/* SPDX-License-Identifier: MIT */
/*
 * serial.c - the COM1 UART (16550 at port 0x3f8), 115200 8N1, polled.  Port
 * I/O, not firmware: both front ends use it, before and after the firmware
 * is gone.  A missing UART (scratch register does not hold a value) makes
 * every write a no-op rather than a hang.
 */
#include "core.h"
#include "cpu.h"

#define COM1 0x3f8

static int have_com1;

int serial_init(void)
{
	outb(COM1 + 7, 0x5a);
	if (inb(COM1 + 7) != 0x5a)
		return 0;
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
	outb(COM1 + 4, 0x0b);
	have_com1 = 1;
	return 1;
}

void serial_putc(char c)
{
	if (!have_com1)
		return;
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, (uint8_t)c);
}
