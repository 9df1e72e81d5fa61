/// libFuzzer entry for the content decoder (gzip and deflate through zlib, with its cap),
/// compiled into one module with the server's coding and parser sources by
/// scripts/fuzz-decoder.sh (no SwiftPM), so internal names are visible.
///
/// An input is two selector bytes and a payload: byte 0 picks the coding, byte 1 the limit
/// (0 bytes to 1 MiB). A broken invariant traps, which libFuzzer reports as a crash with the
/// input saved:
/// - the output never exceeds the limit, whatever the payload claims to expand to;
/// - decoding is deterministic, and the limit is exact: a body that decodes to n bytes decodes
///   the same under a limit of n and is `.tooLarge` under n - 1;
/// - what the encoder makes of the payload decodes back to the payload, at both codings;
/// - the payload read as Accept-Encoding or Content-Encoding values never crashes, and a
///   negotiated coding is one the field gave a weight above 0.
@_cdecl("LLVMFuzzerTestOneInput")
public func contentDecoderFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let coding: HTTPContentCoding = data[0] & 1 == 0 ? .gzip : .deflate
    let limits = [0, 1, 64, 4096, 65_536, 1 << 20]
    let limit = limits[Int(data[1]) % limits.count]
    let payload = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))

    let first = ZlibCodec.decode(payload, coding: coding, limit: limit)
    let second = ZlibCodec.decode(payload, coding: coding, limit: limit)
    check(first == second, "decoding is not deterministic")
    if case .success(let output) = first {
        check(output.count <= limit, "output past the limit")
        check(ZlibCodec.decode(payload, coding: coding, limit: output.count) == first, "not exact at its own size")
        if !output.isEmpty {
            check(ZlibCodec.decode(payload, coding: coding, limit: output.count - 1) == .failure(.tooLarge(limit: output.count - 1)),
                  "one byte under its size was not too large")
        }
    }

    for target in HTTPContentCoding.allCases {
        guard let encoded = ZlibCodec.encode(payload, coding: target, level: Int(data[0] >> 1) % 9 + 1) else { continue }
        check(encoded.count < payload.count, "encoding did not shrink")
        check(ZlibCodec.decode(encoded, coding: target, limit: payload.count) == .success(payload), "round trip failed")
    }

    let text = String(decoding: payload, as: UTF8.self)
    if let chosen = AcceptEncoding.preferredCoding([text]) {
        // gzip is named "gzip" or "x-gzip"; otherwise "*" must have stood for it.
        check(text.lowercased().contains(chosen.rawValue) || text.contains("*"), "negotiated an unnamed coding")
    }
    _ = ContentEncodingField.codings([text])
    return 0
}

func check(_ condition: Bool, _ message: String) {
    if !condition { fatalError("invariant broken: \(message)") }
}
