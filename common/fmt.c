/* SPDX-License-Identifier: MIT */
/*
 * fmt.c - formatted output for the core: a small printf, the console
 * printer (through eb_putc) and the one-line error record that lower
 * layers fill and the front ends print before halting.
 */
#include "core.h"

struct outbuf {
	char *buf;
	size_t n, pos;
};

static void out_c(struct outbuf *o, char c)
{
	if (o->pos + 1 < o->n)
		o->buf[o->pos] = c;
	o->pos++;
}

static void out_u(struct outbuf *o, uint64_t v, unsigned base, int width, char pad)
{
	char tmp[24];
	int i = 0;
	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (width-- > i)
		out_c(o, pad);
	while (i)
		out_c(o, tmp[--i]);
}

int eb_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, n, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_c(&o, *fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, lng = 0;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		if (*fmt == 'z') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int len = (int)strlen(s);
			while (width-- > len)
				out_c(&o, ' ');
			while (*s)
				out_c(&o, *s++);
			break;
		}
		case 'c':
			out_c(&o, (char)va_arg(ap, int));
			break;
		case 'd': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (v < 0) {
				out_c(&o, '-');
				out_u(&o, (uint64_t)0 - (uint64_t)v, 10, width, pad);
			} else {
				out_u(&o, (uint64_t)v, 10, width, pad);
			}
			break;
		}
		case 'u':
			out_u(&o, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width, pad);
			break;
		case 'x':
			out_u(&o, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width, pad);
			break;
		case 'p':
			out_c(&o, '0');
			out_c(&o, 'x');
			out_u(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), 16, width, pad);
			break;
		case '%':
			out_c(&o, '%');
			break;
		default:
			out_c(&o, '%');
			if (*fmt)
				out_c(&o, *fmt);
			else
				fmt--;
		}
	}
	if (n)
		buf[o.pos < n ? o.pos : n - 1] = 0;
	return (int)o.pos;
}

int eb_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = eb_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

static void vput(int level, const char *fmt, va_list ap)
{
	char line[256];
	eb_vsnprintf(line, sizeof line, fmt, ap);
	for (const char *p = line; *p; p++)
		eb_log_putc(level, *p);
}

void eb_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vput(EB_LOG_ERROR, fmt, ap); /* unlevelled: errors and warnings */
	va_end(ap);
}

static int log_level = 3; /* EB_LOG_INFO */

void eb_set_log_level(int level)
{
	log_level = level;
}

void eb_log(int level, const char *fmt, ...)
{
	if (level > log_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	vput(level, fmt, ap);
	va_end(ap);
}

static char last_error[256];

int eb_error(const char *fmt, ...)
{
	/* Format aside first: callers may pass eb_last_error() as an argument
	 * to prefix the message a lower layer left. */
	char tmp[sizeof last_error];
	va_list ap;
	va_start(ap, fmt);
	eb_vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	memcpy(last_error, tmp, sizeof tmp);
	return EB_ERR;
}

const char *eb_last_error(void)
{
	return last_error;
}
