/* SPDX-License-Identifier: MIT */
#define STACK_SIZE 0x20000
#define STACK_ADDR 0x0000400000000000ull
#include "k_stack.c"
