/* SPDX-License-Identifier: MIT */
#define STACK_SIZE (64ull << 20)
#include "k_stack.c"
