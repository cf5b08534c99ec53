/* SPDX-License-Identifier: MIT */
/* test_console.c - the core decides where output goes (boot.json's two
 * switches, and which levels reach the screen); the stub platform counts
 * what each raw writer received. */
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

/* Progress lines (eb_log at Info and below) reach the screen only up to
 * the screen's maximum level; serial gets every line that passed
 * log_level; unlevelled text (errors, warnings) is not filtered. */
static void lines(int level, unsigned long want_screen, unsigned long want_serial)
{
	stub_screen_chars = stub_serial_chars = 0;
	eb_log(level, "abc\r\n");
	T_EQ(stub_screen_chars, want_screen);
	T_EQ(stub_serial_chars, want_serial);
}

static void progress_stays_off_the_screen(void)
{
	eb_set_log_level(EB_LOG_TRACE);
	eb_log_targets(1, 1);
	eb_log_screen_max(EB_LOG_WARN); /* the default once boot.json is read */
	lines(EB_LOG_ERROR, 5, 5);
	lines(EB_LOG_WARN, 5, 5);
	lines(EB_LOG_INFO, 0, 5);
	lines(EB_LOG_DEBUG, 0, 5);
	route(1, 1, 5, 5); /* eb_printf: not a progress line */
	eb_log_screen_max(EB_LOG_TRACE); /* frame_buffer_logging: true */
	lines(EB_LOG_INFO, 5, 5);
	lines(EB_LOG_DEBUG, 5, 5);
	eb_log_screen_max(EB_LOG_WARN);
	eb_log_targets(1, 0); /* serial off: progress goes nowhere */
	lines(EB_LOG_INFO, 0, 0);
	lines(EB_LOG_WARN, 5, 0);
	eb_set_log_level(EB_LOG_ERROR); /* log_level still filters first */
	eb_log_targets(1, 1);
	eb_log_screen_max(EB_LOG_TRACE);
	lines(EB_LOG_WARN, 0, 0);
	eb_set_log_level(EB_LOG_INFO);
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
	T_RUN(progress_stays_off_the_screen);
	T_RUN(fatal_path_reaches_both);
	return T_END();
}
