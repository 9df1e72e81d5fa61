import CZlib

/// gzip and deflate through zlib: decoding with a hard cap on the output, and encoding.
///
/// Runs on a worker thread (never on an I/O thread): a 64 MiB body takes a few hundred
/// milliseconds to inflate or deflate. Each call owns its zlib stream, so calls on different
/// threads share nothing.
enum ZlibCodec {
    /// Output is produced in pieces of this size, so the decoded body grows by measured steps
    /// and the cap is checked before anything past it is kept.
    private static let pieceSize = 64 << 10

    /// `input` decoded from `coding`, or `.tooLarge` as soon as the output passes `limit`
    /// bytes: the result never holds more than `limit` bytes, so a decompression bomb costs at
    /// most the limit, never the size it claims to expand to. A gzip body may be several gzip
    /// members one after another (RFC 1952 §2.2); anything after a deflate stream, or between
    /// gzip members that is not one, is `.corrupt`, as is a stream that ends early.
    static func decode(_ input: [UInt8], coding: HTTPContentCoding, limit: Int) -> Result<[UInt8], ContentDecodingError> {
        let windowBits: Int32 = switch coding {
        case .gzip: 16 + MAX_WBITS
        case .deflate: startsWithZlibHeader(input) ? MAX_WBITS : -MAX_WBITS
        }
        guard let stream = ZlibStream(inflatingWith: windowBits) else { return .failure(.outOfMemory) }
        let piece = UnsafeMutablePointer<UInt8>.allocate(capacity: pieceSize)
        defer { piece.deallocate() }
        var output: [UInt8] = []
        return input.withUnsafeBufferPointer { inputBytes -> Result<[UInt8], ContentDecodingError> in
            var fed = 0
            while true {
                let z = stream.pointer
                if z.pointee.avail_in == 0 && fed < inputBytes.count {
                    let count = min(inputBytes.count - fed, Int(UInt32.max >> 1))
                    z.pointee.next_in = UnsafeMutablePointer(mutating: inputBytes.baseAddress! + fed)
                    z.pointee.avail_in = UInt32(count)
                    fed += count
                }
                // One byte of room past the limit: producing it proves the body is too large.
                let room = min(pieceSize, limit - output.count + 1)
                z.pointee.next_out = piece
                z.pointee.avail_out = UInt32(room)
                let status = inflate(z, Z_NO_FLUSH)
                let produced = room - Int(z.pointee.avail_out)
                if produced > 0 {
                    guard output.count + produced <= limit else { return .failure(.tooLarge(limit: limit)) }
                    if output.capacity < output.count + produced {
                        // Grow by doubling, but never past the limit (append alone could).
                        output.reserveCapacity(min(limit, max(output.count + produced, output.capacity * 2, 4096)))
                    }
                    output.append(contentsOf: UnsafeBufferPointer(start: piece, count: produced))
                }
                let inputLeft = Int(z.pointee.avail_in) + (inputBytes.count - fed)
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    if inputLeft == 0 { return .success(output) }
                    // RFC 1952 §2.2: a gzip file is a series of members. Bytes after a zlib or
                    // raw deflate stream belong to nothing.
                    guard coding == .gzip, inflateReset(z) == Z_OK else {
                        return .failure(.corrupt("bytes after the end of the \(coding.rawValue) data"))
                    }
                case Z_BUF_ERROR where inputLeft == 0:
                    return .failure(.corrupt("the \(coding.rawValue) data ends before its end marker"))
                case Z_NEED_DICT:
                    return .failure(.corrupt("the deflate data needs a preset dictionary"))
                case Z_MEM_ERROR:
                    return .failure(.outOfMemory)
                default:
                    return .failure(.corrupt(stream.message ?? "invalid \(coding.rawValue) data"))
                }
            }
        }
    }

    /// RFC 1950 §2.2: the zlib header's method is 8 (deflate) with a window of at most 32 KiB,
    /// and its two bytes read as a big-endian number are a multiple of 31. Raw deflate data
    /// rarely passes this test and, if it does, fails to decode rather than decoding wrongly.
    static func startsWithZlibHeader(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return true }
        let cmf = bytes[0], flg = bytes[1]
        return cmf & 0x0F == 8 && cmf >> 4 <= 7 && (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0
    }

    /// `input` encoded with `coding` at zlib `level` (1 fastest ... 9 smallest), or nil when
    /// the encoding would not be smaller than `input` (then sending it as is costs less) or
    /// zlib has no memory. The output buffer is sized to the input, so data that does not
    /// compress stops the work as soon as the buffer is full.
    static func encode(_ input: [UInt8], coding: HTTPContentCoding, level: Int) -> [UInt8]? {
        guard input.count > 1, input.count < Int(UInt32.max) else { return nil }
        let windowBits: Int32 = coding == .gzip ? 16 + MAX_WBITS : MAX_WBITS
        guard let stream = ZlibStream(deflatingAt: Int32(clamping: min(max(level, 1), 9)), windowBits: windowBits) else {
            return nil
        }
        var finished = false
        let encoded = [UInt8](unsafeUninitializedCapacity: input.count - 1) { buffer, count in
            input.withUnsafeBufferPointer { inputBytes in
                let z = stream.pointer
                z.pointee.next_in = UnsafeMutablePointer(mutating: inputBytes.baseAddress!)
                z.pointee.avail_in = UInt32(inputBytes.count)
                z.pointee.next_out = buffer.baseAddress!
                // The buffer may be larger than asked for; the output must stay smaller than the input.
                let room = min(buffer.count, input.count - 1)
                z.pointee.avail_out = UInt32(room)
                finished = deflate(z, Z_FINISH) == Z_STREAM_END
                count = finished ? room - Int(z.pointee.avail_out) : 0
            }
        }
        return finished ? encoded : nil
    }
}

/// One zlib stream on the heap (zlib keeps a pointer back to its `z_stream`, so the struct may
/// not move), ended when the wrapper goes away.
private final class ZlibStream {
    let pointer: UnsafeMutablePointer<z_stream>
    private let inflating: Bool

    init?(inflatingWith windowBits: Int32) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: z_stream())
        inflating = true
        guard czlib_inflate_init(pointer, windowBits) == Z_OK else {
            pointer.deallocate()
            return nil
        }
    }

    init?(deflatingAt level: Int32, windowBits: Int32) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: z_stream())
        inflating = false
        guard czlib_deflate_init(pointer, level, windowBits) == Z_OK else {
            pointer.deallocate()
            return nil
        }
    }

    deinit {
        if inflating { inflateEnd(pointer) } else { deflateEnd(pointer) }
        pointer.deallocate()
    }

    /// zlib's description of the last error, if it gave one.
    var message: String? { pointer.pointee.msg.map { String(cString: $0) } }
}
