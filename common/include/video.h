/* SPDX-License-Identifier: MIT */
/*
 * video.h - video-mode policy, decided once for both front ends: they list
 * the modes the firmware offers as struct video_mode (VBE mode info, GOP
 * QueryMode), video_pick() chooses, they set the mode, and
 * video_framebuffer() describes it for the kernel.  Pure: no firmware types.
 */
#ifndef ELFBOOT_VIDEO_H
#define ELFBOOT_VIDEO_H

#include <stdint.h>

#include "platform.h"

#define VIDEO_MAX_MODES 256   /* modes a front end lists; the rest are ignored */
#define VIDEO_MAX_DIM   32768 /* a wider or taller mode is treated as garbage */
#define VIDEO_DEFAULT_W 1024  /* without a minimum and no usable current mode */
#define VIDEO_DEFAULT_H 768

/* One mode, as the firmware describes it. */
struct video_mode {
	uint64_t id;             /* the front end's: VBE mode number, GOP mode index */
	uint32_t width, height;  /* pixels */
	uint32_t bpp;            /* bits per pixel in memory; 0: from the masks */
	uint32_t red_mask, green_mask, blue_mask, reserved_mask; /* in a pixel read as a
						   little-endian integer */
	uint8_t linear;          /* a linear framebuffer exists in this mode */
};

/* Bytes per pixel of a mode whose layout can be described to the kernel
 * (video_pixel_format), else 0. */
uint32_t video_bytes_per_pixel(const struct video_mode *m);

/* Fills fb->format, the channel positions and bytes_per_pixel from the
 * masks: Rgb (bytes R, G, B in memory), Bgr, or Unknown with each channel's
 * lowest bit.  EB_NOTFOUND when the layout cannot be described: a zero or
 * overlapping mask, a mask beyond bpp, or not 24/32 bits per pixel. */
int video_pixel_format(const struct video_mode *m, struct plat_framebuffer *fb);

/* The policy.  Usable modes: linear, 1..VIDEO_MAX_DIM pixels each way, a
 * describable pixel layout.  With a minimum (min_w or min_h non-zero): the
 * smallest usable mode of at least min_w x min_h; if there is none, a
 * warning and the largest usable mode.  Without: the current mode when it
 * is usable, else the smallest usable mode of at least 1024x768, else the
 * largest.  Ties (same area): 32 bpp first, then the current mode, then
 * the first listed.  `current` is the index of the mode the screen is in
 * now, or n when none (VGA text).  EB_OK and *pick (an index), or
 * EB_NOTFOUND, with a warning, when no mode is usable. */
int video_pick(const struct video_mode *modes, uint32_t n, uint32_t current, uint64_t min_w,
	       uint64_t min_h, uint32_t *pick);

/* Describes the framebuffer of mode m once it is set: at `phys`, `pitch`
 * bytes per scan line; fw_len is the firmware's own framebuffer size (0 if
 * it gives none).  EB_OK and *fb filled, or EB_ERR naming the bad value
 * (no base, a pitch that is not whole pixels or shorter than a line, a
 * size that overflows, wraps or exceeds fw_len). */
int video_framebuffer(const struct video_mode *m, uint64_t phys, uint64_t pitch,
		      uint64_t fw_len, struct plat_framebuffer *fb);

#endif
