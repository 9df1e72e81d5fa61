/// The one JSON shape of every error response.
extension ServiceError {
    /// `{"error": {"code": "...", "message": "...", "details": {...}}}`, every string escaped.
    public func jsonBody() -> [UInt8] {
        var writer = JSONWriter(capacity: 128 + message.utf8.count * 2)
        write(to: &writer)
        return writer.finish()
    }

    /// Writes the error object as the next value of `writer`.
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.key("code")
        writer.string(code.rawValue)
        writer.key("message")
        writer.string(message)
        writer.key("details")
        writer.beginObject()
        for detail in details {
            writer.key(detail.name)
            switch detail.value {
            case .string(let text): writer.string(text)
            case .int(let number): writer.int(number)
            case .strings(let texts):
                writer.beginArray()
                for text in texts { writer.string(text) }
                writer.endArray()
            }
        }
        writer.endObject()
        writer.endObject()
        writer.endObject()
    }
}
