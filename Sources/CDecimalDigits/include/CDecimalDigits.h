#ifndef CDECIMALDIGITS_H
#define CDECIMALDIGITS_H
/* Runs of ASCII decimal digits, sixteen bytes at a time, for the JSON number reader
   (JSONScanner+CommonNumber.swift). Static inline, so each call is compiled into the Swift
   loop that makes it; Swift has no portable way to name these vector instructions.

   Why a vector header: a 17-digit number's fraction took two eight-byte SWAR steps (an
   all-digits test and three multiplications each, about 70 instructions with their constants);
   SSE2, which every x86-64 processor has, tests sixteen bytes in four instructions and makes
   their value in about fifteen. Elsewhere the same functions are plain C (the portable versions
   below, which the tests hold the SSE2 ones to on every length and random digits).

   Every function reads sixteen bytes: the caller guarantees they are inside its buffer. */
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Inlined into the reader's loop even though that loop is large (the compiler would call
   them otherwise, spilling registers around each call). */
#define DECIMAL_DIGITS_INLINE static inline __attribute__((always_inline))

/* 10^n for n = 0...16. */
static const uint64_t decimal_digits_powers[17] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
    1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
};

/* Sixteen zero bytes, then sixteen 0xFF: loaded from offset n, the mask that keeps the last n
   of sixteen bytes. */
static const uint8_t decimal_digits_keep_last[32] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/* Portable versions: the definition of what the vector versions compute. */

/* Bit i set when p[i] is an ASCII digit, for i = 0...15. */
DECIMAL_DIGITS_INLINE uint32_t decimal_digits_mask16_portable(const uint8_t *p) {
    uint32_t mask = 0;
    for (int i = 0; i < 16; i++) mask |= (uint32_t)((uint8_t)(p[i] - '0') < 10) << i;
    return mask;
}

/* w * 10^n + the value of the n digits p[0..<n], n = 0...16, wrapping modulo 2^64 (p[0..<n]
   must be digits; the sixteen bytes that end at p + n are read). */
DECIMAL_DIGITS_INLINE uint64_t decimal_digits_fold_portable(uint64_t w, const uint8_t *p, uint32_t n) {
    uint64_t v = w;
    for (uint32_t i = 0; i < n; i++) v = v * 10 + (uint64_t)(p[i] - '0');
    return v;
}

#if defined(__SSE2__)

DECIMAL_DIGITS_INLINE uint32_t decimal_digits_mask16_sse2(const uint8_t *p) {
    __m128i t = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)p), _mm_set1_epi8('0'));
    /* A digit is a byte whose value minus '0' is at most 9, unsigned. */
    __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(9)), t);
    return (uint32_t)_mm_movemask_epi8(digit);
}

/* The value of sixteen digit values (0...9, most significant first), by pairs, fours and
   eights with multiply-adds of 16-bit lanes: every partial value fits its lane (99, 9999,
   99999999). */
DECIMAL_DIGITS_INLINE uint64_t decimal_digits_value16_sse2(__m128i d) {
    const __m128i zero = _mm_setzero_si128();
    const __m128i tens = _mm_setr_epi16(10, 1, 10, 1, 10, 1, 10, 1);
    const __m128i hundreds = _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1);
    const __m128i tenThousands = _mm_setr_epi16(10000, 1, 10000, 1, 10000, 1, 10000, 1);
    __m128i pairs = _mm_packs_epi32(_mm_madd_epi16(_mm_unpacklo_epi8(d, zero), tens),
                                    _mm_madd_epi16(_mm_unpackhi_epi8(d, zero), tens));
    __m128i fours = _mm_madd_epi16(pairs, hundreds);
    __m128i eights = _mm_madd_epi16(_mm_packs_epi32(fours, fours), tenThousands);
    uint64_t both = (uint64_t)_mm_cvtsi128_si64(eights);
    return (both & 0xFFFFFFFFu) * 100000000u + (both >> 32);
}

DECIMAL_DIGITS_INLINE uint64_t decimal_digits_fold_sse2(uint64_t w, const uint8_t *p, uint32_t n) {
    /* The sixteen bytes that end where the digits end, the ones before the digits zeroed: the
       digits right-aligned, whatever n is, with no variable shift (which SSE2 lacks). */
    __m128i t = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(p + n - 16)), _mm_set1_epi8('0'));
    __m128i d = _mm_and_si128(t, _mm_loadu_si128((const __m128i *)(decimal_digits_keep_last + n)));
    return w * decimal_digits_powers[n] + decimal_digits_value16_sse2(d);
}

/* w * 10^16 + the value of the sixteen digits at p. */
DECIMAL_DIGITS_INLINE uint64_t decimal_digits_fold16_sse2(uint64_t w, const uint8_t *p) {
    __m128i d = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)p), _mm_set1_epi8('0'));
    return w * 10000000000000000ULL + decimal_digits_value16_sse2(d);
}

#endif

/* What the reader calls: the vector versions where SSE2 exists. */

DECIMAL_DIGITS_INLINE uint32_t decimal_digits_mask16(const uint8_t *p) {
#if defined(__SSE2__)
    return decimal_digits_mask16_sse2(p);
#else
    return decimal_digits_mask16_portable(p);
#endif
}

/* w * 10^n + the value of the n digits at p (n = 0...16). Reads the sixteen bytes that end at
   p + n, so p + n - 16 must be inside the buffer too. */
DECIMAL_DIGITS_INLINE uint64_t decimal_digits_fold(uint64_t w, const uint8_t *p, uint32_t n) {
#if defined(__SSE2__)
    return decimal_digits_fold_sse2(w, p, n);
#else
    return decimal_digits_fold_portable(w, p, n);
#endif
}

/* w * 10^16 + the value of the sixteen digits at p. */
DECIMAL_DIGITS_INLINE uint64_t decimal_digits_fold16(uint64_t w, const uint8_t *p) {
#if defined(__SSE2__)
    return decimal_digits_fold16_sse2(w, p);
#else
    return decimal_digits_fold_portable(w, p, 16);
#endif
}

/* w * 10^n + the value of the n digits at p, n = 1...8 (p[0..<n] must be digits; the eight
   bytes at p are read). For short fractions (-3.123456: six digits), where the sixteen-byte
   fold's value is mostly zero lanes: the eight bytes as one little-endian word, the bytes after
   the digits shifted out (their borrows only ever reach bytes above them, shifted out too), the
   digits left at the top with zeros below them as leading zeros, and then the eight-digit SWAR
   fold (as in Lemire's fast_float, "Number Parsing at a Gigabyte per Second", 2021): pairs,
   then fours with a multiplier that fits a 32-bit immediate, then the eight: three
   multiplications in all. */
DECIMAL_DIGITS_INLINE uint64_t decimal_digits_fold8(uint64_t w, const uint8_t *p, uint32_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    __builtin_memcpy(&v, p, 8);
    v = (v - 0x3030303030303030ULL) << (8 * (8 - n));
    v = v * 10 + (v >> 8);                                           /* pairs in bytes 0, 2, 4, 6 */
    v = ((v & 0x00FF00FF00FF00FFULL) * (1 + (100ULL << 16))) >> 16;  /* fours in bytes 0-1, 4-5 */
    v = ((v & 0x0000FFFF0000FFFFULL) * (1 + (10000ULL << 32))) >> 32;
    return w * decimal_digits_powers[n] + v;
#else
    return decimal_digits_fold_portable(w, p, n);
#endif
}

/* A short decimal read whole: `[-]d+.d+` with at most eight bytes after the sign (at most seven
   digits: -5.943997, 0.766463, 12.5), ended by a byte that is not a digit, '.', '-' or '/'.
   `length` is the bytes it takes (3...9) and 0 for any other text (the caller then reads it the
   long way, which also owns every error). Its value is `significand` / ±10^`scale`, where
   `divisor` = 2·scale + 1 for a minus sign, 2·scale without (the sign on the divisor: the
   division rounds the same either way, and -0.0 comes out as strtod gives it). The significand
   is the digits followed by zeros to seven digits (5.943997 -> 5943997, 12.5 -> 1250000), so
   that the scale depends only on the integer digits (7 minus their count, 0...6); it is below
   10^7 < 2^24, exact as a double and as a float, and so are the divisors. So one IEEE division
   of two exact values rounds the decimal once,
   correctly, in either type. A leading zero before more integer digits (`01.5`) is not short.
   The byte at `length` may be 'e' or 'E' (an exponent follows): the caller looks at it. */
typedef struct {
    uint64_t significand;
    uint32_t length;
    uint32_t divisor;
} decimal_short_number;

/* The definition: byte by byte. Reads at most the sixteen bytes at p. */
DECIMAL_DIGITS_INLINE decimal_short_number decimal_short_portable(const uint8_t *p) {
    decimal_short_number none = {0, 0, 0};
    uint32_t i = p[0] == '-';
    uint32_t first = i;
    uint64_t w = 0;
    while (i < 16 && (uint8_t)(p[i] - '0') < 10) w = w * 10 + (uint64_t)(p[i++] - '0');
    uint32_t integer_digits = i - first;
    if (integer_digits == 0 || (integer_digits > 1 && p[first] == '0') || i >= 16 || p[i] != '.') return none;
    uint32_t point = i++;
    while (i < 16 && (uint8_t)(p[i] - '0') < 10) w = w * 10 + (uint64_t)(p[i++] - '0');
    if (i == point + 1 || i - first > 8 || p[i] == '.' || p[i] == '-' || p[i] == '/') return none;
    for (uint32_t digits = i - first - 1; digits < 7; digits++) w *= 10;
    decimal_short_number number = {w, i, 2 * (7 - integer_digits) + first};
    return number;
}

#if defined(__SSE2__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* (1 << 8n) - 1: the low n bytes of a word, n = 0...8; and the rest of the word. */
static const uint64_t decimal_digits_low_bytes[9] = {
    0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFFULL, 0xFFFFFFFFFFULL, 0xFFFFFFFFFFFFULL, 0xFFFFFFFFFFFFFFULL,
    0xFFFFFFFFFFFFFFFFULL,
};
static const uint64_t decimal_digits_high_bytes[9] = {
    0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFFFFFFFF00ULL, 0xFFFFFFFFFFFF0000ULL, 0xFFFFFFFFFF000000ULL,
    0xFFFFFFFF00000000ULL, 0xFFFFFF0000000000ULL, 0xFFFF000000000000ULL, 0xFF00000000000000ULL, 0,
};

/* Sixteen bytes at once. The number's length comes from one range test alone (the bytes a
   short number is made of, '-' 0x2D to '9' 0x39, are contiguous in ASCII), so the chain from
   one number's position to the next is a load, two vector operations, a movemask and a count;
   what checks the text's shape (the point's mask, the sign, the digits in the word below) and
   makes its value hangs off that chain, and the next number does not wait for it. The value: the eight bytes
   at the first digit as one little-endian word, the bytes after the number cleared, the
   integer digits moved up one byte over the point, then the eight-digit SWAR fold of
   decimal_digits_fold8 (the first digit in the second byte: the fold's first byte is a
   leading zero, its last ones trailing zeros, which the scale accounts for). */
DECIMAL_DIGITS_INLINE decimal_short_number decimal_short_sse2(const uint8_t *p) {
    decimal_short_number none = {0, 0, 0};
    __m128i x = _mm_loadu_si128((const __m128i *)p);
    /* x + 0x53 moves '-'...'9' to -128...-116 (signed): inside is below -115. */
    __m128i inside = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x53)), _mm_set1_epi8(-115));
    uint32_t length = (uint32_t)__builtin_ctz(~(uint32_t)_mm_movemask_epi8(inside));
    uint32_t points = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('.')));
    uint32_t negative = (uint8_t)_mm_cvtsi128_si32(x) == '-';
    uint32_t point = (uint32_t)__builtin_ctz(points | 0x10000);
    /* The first point inside the number with at least one byte before it but the sign and one
       after it, at most eight bytes after the sign. (A '-' in first place is never the point,
       so point ≥ negative.) */
    uint32_t integer_digits = point - negative;
    uint32_t bytes = length - negative;  /* digits and point */
    if (integer_digits == 0 || point + 1 >= length || bytes > 8) return none;
    uint64_t v;
    __builtin_memcpy(&v, p + negative, 8);
    /* Every byte inside is '-', '.', '/' or a digit: XOR 0x30 makes digits 0...9 and the other
       three 0x1D...0x1F, with no borrows; the bytes after the number cleared. */
    v = (v ^ 0x3030303030303030ULL) & decimal_digits_low_bytes[bytes];
    v = ((v & decimal_digits_low_bytes[integer_digits]) << 8) | (v & decimal_digits_high_bytes[integer_digits + 1]);
    /* With the point gone, every byte left must be a digit: 0...9 have no bit 4, and a second
       point, a '-' after the first place or a '/' (0x1D...0x1F) have it. And no leading zero
       before more integer digits (01.5: readNumber's error). */
    if ((v & 0x1010101010101010ULL) != 0) return none;
    if (integer_digits > 1 && (v & 0xFF00) == 0) return none;
    v = v * 10 + (v >> 8);
    v = ((v & 0x00FF00FF00FF00FFULL) * (1 + (100ULL << 16))) >> 16;
    v = ((v & 0x0000FFFF0000FFFFULL) * (1 + (10000ULL << 32))) >> 32;
    decimal_short_number number = {v, length, 2 * (7 - integer_digits) + negative};
    return number;
}
#endif

/* What the reader calls. Reads the sixteen bytes at p. */
DECIMAL_DIGITS_INLINE decimal_short_number decimal_short(const uint8_t *p) {
#if defined(__SSE2__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return decimal_short_sse2(p);
#else
    return decimal_short_portable(p);
#endif
}

/* Whether the vector versions are the ones in use (for the tests' report). */
DECIMAL_DIGITS_INLINE int decimal_digits_uses_sse2(void) {
#if defined(__SSE2__)
    return 1;
#else
    return 0;
#endif
}

#endif
