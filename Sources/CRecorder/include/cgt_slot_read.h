#pragma once
#include <stddef.h>
#include <stdint.h>

/* Copy the record in one flight-recorder slot (mapped from the kernel, still being written to)
 * into `dst` (at least `slot_size` bytes), if it is whole: the slot's commit word (its header's
 * seq) reads the same, and not CGT_SEQ_WRITING, before and after the copy. Returns the bytes
 * copied (the record's size, at most `slot_size`) and its seq in `*seq`; 0 for an empty slot or
 * one being rewritten while it was read. The record's declared size may exceed `slot_size` (it
 * was cut to fit the slot). */
size_t cgt_slot_read(const void *slot, size_t slot_size, void *dst, uint64_t *seq);
