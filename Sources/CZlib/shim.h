#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>

/* Swift cannot call zlib's initialisation macros (they pass ZLIB_VERSION and the size of
   z_stream to the real functions), so they are wrapped as inline functions. */

/* windowBits selects the format: 8..15 zlib (RFC 1950), -8..-15 raw deflate (RFC 1951),
   16 + 8..15 gzip (RFC 1952). */
static inline int czlib_inflate_init(z_stream *stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

/* Default memory level (8) and strategy, as gzip(1) and zlib.compress use. */
static inline int czlib_deflate_init(z_stream *stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
#endif
