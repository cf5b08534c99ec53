/* SPDX-License-Identifier: MIT */
/* test_video.c - the video-mode policy (video.c): pixel layouts, the mode
 * pick with and without a minimum, the framebuffer description, and the
 * garbage a firmware can list (zero or huge sizes, no modes, overflowing
 * lines). */
#include "t.h"
#include "video.h"

extern unsigned long stub_screen_chars, stub_serial_chars;

#define RGB32 32, 0xff, 0xff00, 0xff0000, 0xff000000u
#define BGR32 32, 0xff0000, 0xff00, 0xff, 0xff000000u
#define BGR24 24, 0xff0000, 0xff00, 0xff, 0

static struct video_mode mode(uint32_t w, uint32_t h, uint32_t bpp, uint32_t r, uint32_t g,
			      uint32_t b, uint32_t x)
{
	static uint64_t next_id = 0x100;
	struct video_mode m = { next_id++, w, h, bpp, r, g, b, x, 1 };
	return m;
}

static void pixel_formats(void)
{
	struct plat_framebuffer fb;
	struct video_mode m = mode(640, 480, RGB32);
	T_OK(video_pixel_format(&m, &fb));
	T_EQ(fb.format, ELFBOOT_PIXEL_RGB);
	T_EQ(fb.bytes_per_pixel, 4);
	m = mode(640, 480, BGR24);
	T_OK(video_pixel_format(&m, &fb));
	T_EQ(fb.format, ELFBOOT_PIXEL_BGR);
	T_EQ(fb.bytes_per_pixel, 3);
	/* 10 bits per channel: Unknown, with each channel's lowest bit. */
	m = mode(640, 480, 32, 0x3ff00000, 0xffc00, 0x3ff, 0xc0000000u);
	T_OK(video_pixel_format(&m, &fb));
	T_EQ(fb.format, ELFBOOT_PIXEL_UNKNOWN);
	T_EQ(fb.red_pos, 20);
	T_EQ(fb.green_pos, 10);
	T_EQ(fb.blue_pos, 0);
	/* bpp 0 (GOP PixelBitMask): the size follows from the highest mask bit. */
	m = mode(640, 480, 0, 0xff0000, 0xff00, 0xff, 0);
	T_OK(video_pixel_format(&m, &fb));
	T_EQ(fb.bytes_per_pixel, 3);
	m = mode(640, 480, 0, 0xff, 0xff00, 0xff0000, 0xff000000u);
	T_OK(video_pixel_format(&m, &fb));
	T_EQ(fb.bytes_per_pixel, 4);
	T_EQ(fb.format, ELFBOOT_PIXEL_RGB);
}

static void pixel_formats_hostile(void)
{
	struct plat_framebuffer fb;
	struct video_mode bad[] = {
		mode(640, 480, 32, 0, 0xff00, 0xff, 0),              /* no red */
		mode(640, 480, 32, 0xff00, 0xff00, 0xff, 0),         /* overlap */
		mode(640, 480, 32, 0xff0000, 0xff00, 0xff, 0xff),    /* reserved over blue */
		mode(640, 480, 24, 0xff000000u, 0xff00, 0xff, 0),    /* beyond 24 bits */
		mode(640, 480, 16, 0xf800, 0x7e0, 0x1f, 0),          /* 16 bpp */
		mode(640, 480, 0, 0xf800, 0x7e0, 0x1f, 0),           /* 16 bpp by masks */
		mode(640, 480, 0, 0, 0, 0, 0),                       /* nothing */
		mode(640, 480, 255, 0xff0000, 0xff00, 0xff, 0),      /* nonsense bpp */
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		T_EQ(video_pixel_format(&bad[i], &fb), EB_NOTFOUND);
		T_EQ(video_bytes_per_pixel(&bad[i]), 0);
	}
}

static uint32_t pick(const struct video_mode *m, uint32_t n, uint32_t cur, uint64_t w, uint64_t h)
{
	uint32_t p = 0xdead;
	stub_serial_chars = 0;
	T_OK(video_pick(m, n, cur, w, h, &p));
	return p;
}

static void with_minimum(void)
{
	struct video_mode m[] = {
		mode(800, 600, RGB32), mode(1280, 1024, RGB32), mode(1024, 768, BGR24),
		mode(1024, 768, BGR32), mode(1920, 1080, RGB32), mode(1024, 768, RGB32),
	};
	uint32_t n = 6;
	T_EQ(pick(m, n, n, 1024, 768), 3); /* smallest; 32 bpp over 24; first listed */
	T_EQ(stub_serial_chars, 0);
	T_EQ(pick(m, n, 5, 1024, 768), 5); /* the current one on a full tie */
	T_EQ(pick(m, n, 2, 1024, 768), 3); /* 32 bpp beats the current 24 bpp */
	T_EQ(pick(m, n, n, 1025, 0), 1);   /* width alone */
	T_EQ(pick(m, n, n, 0, 1000), 1);   /* height alone */
	T_EQ(pick(m, n, 0, 1024, 768), 3); /* a minimum overrides the current mode */
	/* Nothing big enough: a warning and the largest mode. */
	T_EQ(pick(m, n, 0, 4096, 4096), 4);
	T_CHECK(stub_serial_chars > 0);
}

static void without_minimum(void)
{
	struct video_mode m[] = {
		mode(1920, 1080, RGB32), mode(1280, 800, BGR32), mode(1024, 768, BGR32),
		mode(640, 480, RGB32),
	};
	T_EQ(pick(m, 4, 1, 0, 0), 1); /* the current mode, when usable */
	T_EQ(pick(m, 4, 3, 0, 0), 3); /* even a small one: no minimum asked */
	T_EQ(pick(m, 4, 4, 0, 0), 2); /* none current: smallest >= 1024x768 */
	m[1].linear = 0;               /* current is Blt-only */
	T_EQ(pick(m, 4, 1, 0, 0), 2);
	struct video_mode small[] = { mode(640, 480, RGB32), mode(800, 600, BGR24) };
	T_EQ(pick(small, 2, 2, 0, 0), 1); /* none >= 1024x768: the largest */
	T_EQ(stub_serial_chars, 0);
}

static void hostile_lists(void)
{
	uint32_t p = 7;
	/* No modes at all. */
	T_EQ(video_pick(NULL, 0, 0, 1024, 768, &p), EB_NOTFOUND);
	T_EQ(p, 7);
	/* Zero sizes, absurd sizes, non-linear and undescribable modes are
	 * never picked, even as "the largest" or as the current mode. */
	struct video_mode m[] = {
		mode(0, 768, RGB32), mode(1024, 0, RGB32),
		mode(0xffffffffu, 0xffffffffu, RGB32), mode(VIDEO_MAX_DIM + 1, 768, RGB32),
		mode(4096, 4096, 16, 0xf800, 0x7e0, 0x1f, 0), mode(8192, 8192, RGB32),
	};
	m[5].linear = 0;
	T_EQ(video_pick(m, 6, 2, 0, 0, &p), EB_NOTFOUND);
	T_EQ(video_pick(m, 6, 2, 640, 480, &p), EB_NOTFOUND);
	struct video_mode ok = mode(800, 600, RGB32);
	m[0] = ok;
	T_EQ(pick(m, 6, 2, 0, 0), 0);
	T_EQ(pick(m, 6, 2, 1 << 20, 1 << 20), 0); /* huge minimum: warn, largest usable */
	T_EQ(pick(m, 6, 0xffffffffu, ~0ull, ~0ull), 0); /* out-of-range current */
	/* The largest VIDEO_MAX_DIM mode is usable and its area does not overflow. */
	m[3].width = VIDEO_MAX_DIM;
	m[3].height = VIDEO_MAX_DIM;
	T_EQ(pick(m, 6, 6, 1, 1), 0);
	T_EQ(pick(m, 6, 6, VIDEO_MAX_DIM, VIDEO_MAX_DIM), 3);
}

static void framebuffer(void)
{
	struct plat_framebuffer fb;
	struct video_mode m = mode(1024, 768, BGR24);
	T_OK(video_framebuffer(&m, 0xfd000000, 3072, 0, &fb));
	T_EQ(fb.stride, 1024);
	T_EQ(fb.byte_len, 3072 * 768);
	T_EQ(fb.phys, 0xfd000000);
	T_EQ(fb.format, ELFBOOT_PIXEL_BGR);
	m = mode(1280, 800, RGB32);
	T_OK(video_framebuffer(&m, 0x80000000, 1536 * 4, 1536 * 4 * 800, &fb));
	T_EQ(fb.stride, 1536); /* padded lines keep their length */
	T_EQ(fb.width, 1280);
	/* A framebuffer far above 4 GiB is fine (FIELD-NOTES: 0xfc_1000_0000). */
	T_OK(video_framebuffer(&m, 0xfc10000000ull, 1280 * 4, 0, &fb));
}

static void framebuffer_hostile(void)
{
	struct plat_framebuffer fb;
	struct video_mode m = mode(1024, 768, BGR24);
	T_ERR(video_framebuffer(&m, 0, 3072, 0, &fb), "no framebuffer address");
	T_ERR(video_framebuffer(&m, 0xfd000000, 3071, 0, &fb), "does not hold 1024 pixels");
	T_ERR(video_framebuffer(&m, 0xfd000000, 3070, 0, &fb), "does not hold 1024 pixels");
	T_ERR(video_framebuffer(&m, 0xfd000000, 0, 0, &fb), "does not hold");
	T_ERR(video_framebuffer(&m, 0xfd000000, 3072, 3072 * 767, &fb), "less than 768 lines");
	/* pitch x height overflows 64 bits; then one that only wraps the address */
	T_ERR(video_framebuffer(&m, 0xfd000000, 0x3000000000000000ull, 0, &fb), "overflows");
	T_ERR(video_framebuffer(&m, ~0ull - 4096, 3072, 0, &fb), "wraps");
	m.width = 0;
	T_ERR(video_framebuffer(&m, 0xfd000000, 3072, 0, &fb), "cannot be described");
	m = mode(1024, 768, 16, 0xf800, 0x7e0, 0x1f, 0);
	T_ERR(video_framebuffer(&m, 0xfd000000, 2048, 0, &fb), "cannot be described");
}

int main(void)
{
	T_RUN(pixel_formats);
	T_RUN(pixel_formats_hostile);
	T_RUN(with_minimum);
	T_RUN(without_minimum);
	T_RUN(hostile_lists);
	T_RUN(framebuffer);
	T_RUN(framebuffer_hostile);
	return T_END();
}
