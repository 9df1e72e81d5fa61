#ifndef CDECIMALTEXT_H
#define CDECIMALTEXT_H
/* A double's text for the JSON writer (FloatText.swift) when it is 0.000ddd... or d.ddd...:
   seventeen significant digits, the first digit's exponent e in -4...0, which is the text of
   every double in [0.0001, 10) (sigmoid's values and gradients, most activations' answers).
   Static inline, so each call is compiled into the Swift loop that makes it; Swift has no
   portable way to name these vector instructions.

   Why a vector header: the sixteen digits after the first took two eight-digit words, each
   split by four dependent 64-bit multiplications (about 60 instructions per number with the
   divisions that feed them, a third of the writer's time), then two overlapping word stores.
   SSE2, which every x86-64 processor has, splits all sixteen in two registers of 16-bit lanes
   with a dozen instructions, finds the trailing zeros with one compare and a mask, and stores
   the sixteen characters at once. Elsewhere the same function is plain C (the portable version
   below, which the tests hold the SSE2 one to).

   Each function writes at most 22 bytes at out (the caller reserves 33 per number). */
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define DECIMAL_TEXT_INLINE static inline __attribute__((always_inline))

/* "0.000000" as a little-endian word. */
#define DECIMAL_TEXT_ZEROS_POINT 0x3030303030302E30ULL

/* The layout both versions share, given the first digit, the sixteen others written as
   characters at out + 2 - e by the caller, and n, the count of significant digits (1...17):
   "0." and -e - 1 zeros then the digits for e < 0, "d." then the rest for e = 0; an exact
   d.0 keeps its zero (the digits' first character). Returns the length. */
DECIMAL_TEXT_INLINE uint32_t decimal_text_finish(uint8_t *out, uint64_t first, int64_t e, uint32_t n) {
    out[(1 - e) & (e >> 63)] = (uint8_t)(first | 0x30); /* at 1 - e, or at 0 when e = 0 */
    out[1] = 0x2E;
    int64_t length = 1 - e + (int64_t)n;
    return (uint32_t)(length > 3 ? length : 3);
}

/* Portable version: the definition of what the vector version computes. f has exactly 17
   digits (10^16 <= f < 10^17), e in -4...0; writes the text at out, returns its length. */
DECIMAL_TEXT_INLINE uint32_t decimal_text_fraction17_portable(uint8_t *out, uint64_t f, int64_t e) {
    uint64_t first = f / 10000000000000000ULL;
    uint64_t rest = f - first * 10000000000000000ULL;
    uint8_t *digits = out + 2 - e;
    uint32_t n = 1;
    uint64_t x = rest;
    for (int i = 15; i >= 0; i--) {
        uint8_t d = (uint8_t)(x % 10);
        x /= 10;
        digits[i] = (uint8_t)(0x30 | d);
        if (d != 0 && n == 1) n = (uint32_t)i + 2;
    }
    uint64_t zeros = DECIMAL_TEXT_ZEROS_POINT;
    for (int i = 0; i < 8 && i < 2 - e; i++) out[i] = (uint8_t)(zeros >> (8 * i)); /* "0.000000" below the digits */
    return decimal_text_finish(out, first, e, n);
}

/* Two numbers: a's text (a '-' first when signA is 1), a comma, b's text; the byte count. */
DECIMAL_TEXT_INLINE uint32_t decimal_text_pair17_portable(uint8_t *out, uint64_t fa, int64_t ea, uint32_t signA,
                                                         uint64_t fb, int64_t eb, uint32_t signB) {
    out[0] = 0x2D;
    uint32_t lengthA = signA + decimal_text_fraction17_portable(out + signA, fa, ea);
    out[lengthA] = 0x2C;
    uint8_t *b = out + lengthA + 1;
    b[0] = 0x2D;
    return lengthA + 1 + signB + decimal_text_fraction17_portable(b + signB, fb, eb);
}

#if defined(__SSE2__)

/* The sixteen digits after the first of f (10^16 <= f < 10^17) as characters, most
   significant first; *significant is set to the bits of the nonzero digits (bit i for digit
   i). The four groups of four are each a division of f by a constant, side by side (as in
   FloatText.layout(_:significand:exponent:exponential:)), packed into one word of 16-bit
   lanes; then, after Wojciech Muła's and Milo Yip's SSE2 integer-to-text (itoa-benchmark,
   "sse2"), each group broadcast to four lanes, divided by 1000, 100, 10 and 1 at once by two
   high-half multiplications (4x·c >> 16, then · 2^s >> 16: x·c / 2^(32-s-2), exact below 10^4,
   which the tests check for every group), and each lane minus ten times the lane before it
   leaves its own digit. The divisions side by side keep the chain from the significand to the
   text short: the processor overlaps numbers only as far as its window of instructions reaches. */
DECIMAL_TEXT_INLINE __m128i decimal_text_digits16_sse2(uint64_t f, uint32_t *significant) {
    uint64_t first = f / 10000000000000000ULL;
    uint64_t q12 = f / 1000000000000ULL;
    uint64_t q8 = f / 100000000u;
    uint64_t q4 = f / 10000u;
    uint64_t g0 = q12 - first * 10000u;
    uint64_t g1 = q8 - q12 * 10000u;
    uint64_t g2 = q4 - q8 * 10000u;
    uint64_t g3 = f - q4 * 10000u;
    /* 16-bit lanes g0 g1 g2 g3, each times 4 for the first multiplication (below 2^16). */
    uint64_t packed = (g0 | g1 << 16 | g2 << 32 | g3 << 48) << 2;
    __m128i lanes = _mm_cvtsi64_si128((long long)packed);
    __m128i pairs = _mm_unpacklo_epi16(lanes, lanes);
    __m128i high = _mm_unpacklo_epi32(pairs, pairs);
    __m128i low = _mm_unpackhi_epi32(pairs, pairs);
    const __m128i divisors = _mm_setr_epi16(8389, 5243, 13108, (short)0x8000, 8389, 5243, 13108, (short)0x8000);
    const __m128i shifts = _mm_setr_epi16(1 << 7, 1 << 11, 1 << 13, (short)0x8000, 1 << 7, 1 << 11, 1 << 13, (short)0x8000);
    const __m128i ten = _mm_set1_epi16(10);
    /* [a, ab, abc, abcd] per group, then each minus ten times the one before: [a, b, c, d]. */
    __m128i h = _mm_mulhi_epu16(_mm_mulhi_epu16(high, divisors), shifts);
    __m128i l = _mm_mulhi_epu16(_mm_mulhi_epu16(low, divisors), shifts);
    h = _mm_sub_epi16(h, _mm_slli_epi64(_mm_mullo_epi16(h, ten), 16));
    l = _mm_sub_epi16(l, _mm_slli_epi64(_mm_mullo_epi16(l, ten), 16));
    __m128i digits = _mm_packus_epi16(h, l);
    *significant = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(digits, _mm_setzero_si128())) ^ 0xFFFFu;
    return _mm_or_si128(digits, _mm_set1_epi8(0x30));
}

DECIMAL_TEXT_INLINE uint32_t decimal_text_fraction17_sse2(uint8_t *out, uint64_t f, int64_t e) {
    uint64_t first = f / 10000000000000000ULL;
    uint32_t significant;
    __m128i text = decimal_text_digits16_sse2(f, &significant);
    uint64_t zeros = DECIMAL_TEXT_ZEROS_POINT;
    __builtin_memcpy(out, &zeros, 8);
    _mm_storeu_si128((__m128i *)(out + 2 - e), text);
    /* 1 + the place of the last nonzero digit + 1, or 1 when all sixteen are zero. */
    uint32_t n = 32 - (uint32_t)__builtin_clz(significant << 1 | 1);
    return decimal_text_finish(out, first, e, n);
}

/* decimal_text_digits16_sse2 for two numbers, each step for both before the next. */
DECIMAL_TEXT_INLINE void decimal_text_digits16x2_sse2(uint64_t fa, uint64_t fb, __m128i *textA, __m128i *textB,
                                                     uint32_t *significantA, uint32_t *significantB) {
    uint64_t firstA = fa / 10000000000000000ULL, firstB = fb / 10000000000000000ULL;
    uint64_t q12A = fa / 1000000000000ULL, q12B = fb / 1000000000000ULL;
    uint64_t q8A = fa / 100000000u, q8B = fb / 100000000u;
    uint64_t q4A = fa / 10000u, q4B = fb / 10000u;
    uint64_t packedA = ((q12A - firstA * 10000u) | (q8A - q12A * 10000u) << 16
                        | (q4A - q8A * 10000u) << 32 | (fa - q4A * 10000u) << 48) << 2;
    uint64_t packedB = ((q12B - firstB * 10000u) | (q8B - q12B * 10000u) << 16
                        | (q4B - q8B * 10000u) << 32 | (fb - q4B * 10000u) << 48) << 2;
    __m128i lanesA = _mm_cvtsi64_si128((long long)packedA), lanesB = _mm_cvtsi64_si128((long long)packedB);
    __m128i pairsA = _mm_unpacklo_epi16(lanesA, lanesA), pairsB = _mm_unpacklo_epi16(lanesB, lanesB);
    __m128i highA = _mm_unpacklo_epi32(pairsA, pairsA), highB = _mm_unpacklo_epi32(pairsB, pairsB);
    __m128i lowA = _mm_unpackhi_epi32(pairsA, pairsA), lowB = _mm_unpackhi_epi32(pairsB, pairsB);
    const __m128i divisors = _mm_setr_epi16(8389, 5243, 13108, (short)0x8000, 8389, 5243, 13108, (short)0x8000);
    const __m128i shifts = _mm_setr_epi16(1 << 7, 1 << 11, 1 << 13, (short)0x8000, 1 << 7, 1 << 11, 1 << 13, (short)0x8000);
    const __m128i ten = _mm_set1_epi16(10);
    highA = _mm_mulhi_epu16(highA, divisors); lowA = _mm_mulhi_epu16(lowA, divisors);
    highB = _mm_mulhi_epu16(highB, divisors); lowB = _mm_mulhi_epu16(lowB, divisors);
    highA = _mm_mulhi_epu16(highA, shifts); lowA = _mm_mulhi_epu16(lowA, shifts);
    highB = _mm_mulhi_epu16(highB, shifts); lowB = _mm_mulhi_epu16(lowB, shifts);
    highA = _mm_sub_epi16(highA, _mm_slli_epi64(_mm_mullo_epi16(highA, ten), 16));
    lowA = _mm_sub_epi16(lowA, _mm_slli_epi64(_mm_mullo_epi16(lowA, ten), 16));
    highB = _mm_sub_epi16(highB, _mm_slli_epi64(_mm_mullo_epi16(highB, ten), 16));
    lowB = _mm_sub_epi16(lowB, _mm_slli_epi64(_mm_mullo_epi16(lowB, ten), 16));
    __m128i digitsA = _mm_packus_epi16(highA, lowA), digitsB = _mm_packus_epi16(highB, lowB);
    *significantA = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(digitsA, _mm_setzero_si128())) ^ 0xFFFFu;
    *significantB = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(digitsB, _mm_setzero_si128())) ^ 0xFFFFu;
    *textA = _mm_or_si128(digitsA, _mm_set1_epi8(0x30));
    *textB = _mm_or_si128(digitsB, _mm_set1_epi8(0x30));
}

/* Two numbers, interleaved: a's text (a '-' first when signA is 1), a comma, b's text, at out;
   returns the byte count. fa and fb as for decimal_text_fraction17, ea and eb in -4...0. The
   two chains side by side in the code: the processor overlaps them only as far as its window
   of instructions reaches, and one number's chain written after the other's starts late. */
DECIMAL_TEXT_INLINE uint32_t decimal_text_pair17_sse2(uint8_t *out, uint64_t fa, int64_t ea, uint32_t signA,
                                                     uint64_t fb, int64_t eb, uint32_t signB) {
    uint64_t firstA = fa / 10000000000000000ULL;
    uint64_t firstB = fb / 10000000000000000ULL;
    uint32_t significantA, significantB;
    __m128i textA, textB;
    decimal_text_digits16x2_sse2(fa, fb, &textA, &textB, &significantA, &significantB);
    uint64_t zeros = DECIMAL_TEXT_ZEROS_POINT;
    out[0] = 0x2D;
    uint8_t *a = out + signA;
    __builtin_memcpy(a, &zeros, 8);
    _mm_storeu_si128((__m128i *)(a + 2 - ea), textA);
    uint32_t na = 32 - (uint32_t)__builtin_clz(significantA << 1 | 1);
    uint32_t lengthA = signA + decimal_text_finish(a, firstA, ea, na);
    out[lengthA] = 0x2C;
    uint8_t *b = out + lengthA + 1;
    b[0] = 0x2D;
    b += signB;
    __builtin_memcpy(b, &zeros, 8);
    _mm_storeu_si128((__m128i *)(b + 2 - eb), textB);
    uint32_t nb = 32 - (uint32_t)__builtin_clz(significantB << 1 | 1);
    return lengthA + 1 + signB + decimal_text_finish(b, firstB, eb, nb);
}

/* The version the writer uses. */
DECIMAL_TEXT_INLINE uint32_t decimal_text_fraction17(uint8_t *out, uint64_t f, int64_t e) {
    return decimal_text_fraction17_sse2(out, f, e);
}
DECIMAL_TEXT_INLINE uint32_t decimal_text_pair17(uint8_t *out, uint64_t fa, int64_t ea, uint32_t signA,
                                                uint64_t fb, int64_t eb, uint32_t signB) {
    return decimal_text_pair17_sse2(out, fa, ea, signA, fb, eb, signB);
}
#define DECIMAL_TEXT_HAS_SSE2 1

#else

DECIMAL_TEXT_INLINE uint32_t decimal_text_fraction17(uint8_t *out, uint64_t f, int64_t e) {
    return decimal_text_fraction17_portable(out, f, e);
}
DECIMAL_TEXT_INLINE uint32_t decimal_text_pair17(uint8_t *out, uint64_t fa, int64_t ea, uint32_t signA,
                                                uint64_t fb, int64_t eb, uint32_t signB) {
    return decimal_text_pair17_portable(out, fa, ea, signA, fb, eb, signB);
}
#define DECIMAL_TEXT_HAS_SSE2 0

#endif

#endif
