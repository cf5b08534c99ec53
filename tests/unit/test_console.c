/* SPDX-License-Identifier: MIT */
/* test_console.c - the core decides where output goes (boot.json's two
 * switches); the stub platform counts what each raw writer received. */
#include "t.h"

extern unsigned long stub_screen_chars, stub_serial_chars;

static void route(int screen, int serial, unsigned long want_screen, unsigned long want_serial)
{
	stub_screen_chars = stub_serial_chars = 0;
	eb_log_targets(screen, serial);
	eb_printf("abc\r\n");
	T_EQ(stub_screen_chars, want_screen);
	T_EQ(stub_serial_chars, want_serial);
}

static void switches_are_independent(void)
{
	route(1, 1, 5, 5);
	route(1, 0, 5, 0);
	route(0, 1, 0, 5);
	route(0, 0, 0, 0);
	route(7, -1, 5, 5); /* any non-zero value means on */
	eb_log_targets(1, 1);
}

static void fatal_path_reaches_both(void)
{
	/* eb_fatal switches both on before its line: the same call here. */
	eb_log_targets(0, 0);
	eb_log_targets(1, 1);
	stub_screen_chars = stub_serial_chars = 0;
	eb_putc('x');
	T_EQ(stub_screen_chars, 1);
	T_EQ(stub_serial_chars, 1);
}

int main(void)
{
	T_RUN(switches_are_independent);
	T_RUN(fatal_path_reaches_both);
	return T_END();
}
