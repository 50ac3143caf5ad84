// LabelKit's one reach below the standard library in LabelKitCore: the byte
// mask instruction (SSE2 `pmovmskb`) that Swift's SIMD types give no access to.
// Header-only and inline, so a call costs nothing after inlining; processors
// without SSE2 get a portable loop with the same results.
#ifndef LABELKIT_CLABELKITBITS_H
#define LABELKIT_CLABELKITBITS_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// One bit per byte of the 64 bytes at `p` (any alignment): bit i is set when
/// byte i is non-zero.
static inline __attribute__((always_inline)) uint64_t clk_nonzero_bits64(const void *p) {
    const uint8_t *b = (const uint8_t *)p;
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128();
    uint64_t z0 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)b), zero));
    uint64_t z1 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(b + 16)), zero));
    uint64_t z2 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(b + 32)), zero));
    uint64_t z3 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(b + 48)), zero));
    return ~(z0 | (z1 << 16) | (z2 << 32) | (z3 << 48));
#else
    uint64_t bits = 0;
    for (int i = 0; i < 64; i++) bits |= (uint64_t)(b[i] != 0) << i;
    return bits;
#endif
}

#endif
