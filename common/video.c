/* SPDX-License-Identifier: MIT */
/*
 * video.c - the video-mode policy both front ends follow (video.h): which
 * mode to set for the kernel's minimum, and how a mode's pixel layout and
 * framebuffer are described.  Every field comes from firmware and is
 * checked before it is used in arithmetic.
 */
#include "core.h"
#include "video.h"

static unsigned low_bit(uint32_t m)
{
	unsigned i = 0;
	while (i < 32 && !(m & (1u << i)))
		i++;
	return i;
}

static uint32_t mode_bits(const struct video_mode *m)
{
	if (m->bpp)
		return m->bpp;
	uint32_t all = m->red_mask | m->green_mask | m->blue_mask | m->reserved_mask;
	unsigned top = 32;
	while (top && !(all & (1u << (top - 1))))
		top--;
	return (top + 7) / 8 * 8;
}

int video_pixel_format(const struct video_mode *m, struct plat_framebuffer *fb)
{
	uint32_t r = m->red_mask, g = m->green_mask, b = m->blue_mask, x = m->reserved_mask;
	uint32_t bits = mode_bits(m);
	if (bits != 24 && bits != 32)
		return EB_NOTFOUND;
	if (!r || !g || !b || (r & g) || (r & b) || (g & b) || ((r | g | b) & x))
		return EB_NOTFOUND;
	if ((uint64_t)(r | g | b | x) >> bits)
		return EB_NOTFOUND;
	fb->bytes_per_pixel = bits / 8;
	fb->red_pos = fb->green_pos = fb->blue_pos = 0;
	if (r == 0xff && g == 0xff00 && b == 0xff0000) {
		fb->format = ELFBOOT_PIXEL_RGB;
	} else if (r == 0xff0000 && g == 0xff00 && b == 0xff) {
		fb->format = ELFBOOT_PIXEL_BGR;
	} else {
		fb->format = ELFBOOT_PIXEL_UNKNOWN;
		fb->red_pos = (uint8_t)low_bit(r);
		fb->green_pos = (uint8_t)low_bit(g);
		fb->blue_pos = (uint8_t)low_bit(b);
	}
	return EB_OK;
}

uint32_t video_bytes_per_pixel(const struct video_mode *m)
{
	struct plat_framebuffer fb;
	return video_pixel_format(m, &fb) == EB_OK ? (uint32_t)fb.bytes_per_pixel : 0;
}

static int usable(const struct video_mode *m)
{
	return m->linear && m->width && m->height && m->width <= VIDEO_MAX_DIM &&
	       m->height <= VIDEO_MAX_DIM && video_bytes_per_pixel(m);
}

/* Is mode i a better choice than mode j (j == n: nothing chosen yet)?
 * `small`: the smaller area wins, else the larger. */
static int better(const struct video_mode *modes, uint32_t n, uint32_t current, uint32_t i,
		  uint32_t j, int small)
{
	if (j == n)
		return 1;
	uint64_t ai = (uint64_t)modes[i].width * modes[i].height;
	uint64_t aj = (uint64_t)modes[j].width * modes[j].height;
	if (ai != aj)
		return small ? ai < aj : ai > aj;
	uint32_t bi = video_bytes_per_pixel(&modes[i]), bj = video_bytes_per_pixel(&modes[j]);
	if (bi != bj)
		return bi == 4;
	return i == current; /* else the first listed (j) stays */
}

/* The best usable mode of at least w x h, or n. */
static uint32_t best_at_least(const struct video_mode *modes, uint32_t n, uint32_t current,
			      uint64_t w, uint64_t h, int small)
{
	uint32_t best = n;
	for (uint32_t i = 0; i < n; i++)
		if (usable(&modes[i]) && modes[i].width >= w && modes[i].height >= h &&
		    better(modes, n, current, i, best, small))
			best = i;
	return best;
}

int video_pick(const struct video_mode *modes, uint32_t n, uint32_t current, uint64_t min_w,
	       uint64_t min_h, uint32_t *pick)
{
	uint32_t largest = best_at_least(modes, n, current, 0, 0, 0);
	if (largest == n) {
		eb_log(EB_LOG_WARN, "elfboot: no usable linear-framebuffer video mode (%u listed)\r\n",
		       n);
		return EB_NOTFOUND;
	}
	uint32_t best;
	if (min_w || min_h) {
		best = best_at_least(modes, n, current, min_w, min_h, 1);
		if (best == n) {
			eb_log(EB_LOG_WARN, "elfboot: warning: no video mode of at least %lux%lu; using "
			       "the largest, %ux%u\r\n", min_w, min_h, modes[largest].width,
			       modes[largest].height);
			best = largest;
		}
	} else if (current < n && usable(&modes[current])) {
		best = current;
	} else {
		best = best_at_least(modes, n, current, VIDEO_DEFAULT_W, VIDEO_DEFAULT_H, 1);
		if (best == n)
			best = largest;
	}
	*pick = best;
	return EB_OK;
}

int video_framebuffer(const struct video_mode *m, uint64_t phys, uint64_t pitch,
		      uint64_t fw_len, struct plat_framebuffer *fb)
{
	memset(fb, 0, sizeof *fb);
	if (video_pixel_format(m, fb) != EB_OK || !m->width || !m->height ||
	    m->width > VIDEO_MAX_DIM || m->height > VIDEO_MAX_DIM)
		return eb_error("video: mode 0x%lx (%ux%u, %u bpp) cannot be described", m->id,
				m->width, m->height, m->bpp);
	uint64_t bpp = fb->bytes_per_pixel;
	if (!phys)
		return eb_error("video: mode 0x%lx reports no framebuffer address", m->id);
	if (pitch % bpp || pitch / bpp < m->width)
		return eb_error("video: mode 0x%lx: scan line of %lu bytes does not hold %u pixels "
				"of %lu bytes", m->id, pitch, m->width, bpp);
	if (pitch > ~0ull / m->height)
		return eb_error("video: mode 0x%lx: %lu bytes x %u lines overflows", m->id, pitch,
				m->height);
	uint64_t len = pitch * m->height;
	if (!eb_range_ok(phys, len))
		return eb_error("video: mode 0x%lx: framebuffer 0x%lx + %lu bytes wraps", m->id, phys,
				len);
	if (fw_len && fw_len < len)
		return eb_error("video: mode 0x%lx: the firmware's framebuffer is %lu bytes, less "
				"than %lu lines of %lu", m->id, fw_len, (uint64_t)m->height, pitch);
	fb->phys = phys;
	fb->width = m->width;
	fb->height = m->height;
	fb->stride = pitch / bpp;
	fb->byte_len = len;
	return EB_OK;
}
