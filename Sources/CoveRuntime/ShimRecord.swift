import CoveCore

/// One record of a shim config (`RuntimePlan.serialized()`): a name and its arguments. An exec
/// is planned from the records of its container's config, read back with `parse`.
public struct ShimRecord: Sendable, Equatable {
    public var name: String
    public var arguments: [String]

    public init(_ name: String, _ arguments: [String] = []) {
        self.name = name
        self.arguments = arguments
    }

    static let header = "cove-shim-config 1\n"

    /// The config file: the header, then each record as `NAME ARGC\n` and its arguments as
    /// `LENGTH:BYTES\n` (the format `CCoveShim/config.c` parses).
    public static func serialize(_ records: [ShimRecord]) -> [UInt8] {
        var out = Array(header.utf8)
        for record in records {
            out += Array("\(record.name) \(record.arguments.count)\n".utf8)
            for argument in record.arguments {
                let bytes = Array(argument.utf8)
                out += Array("\(bytes.count):".utf8) + bytes + [UInt8(ascii: "\n")]
            }
        }
        return out
    }

    /// The records of a config file, in order.
    ///
    /// - Throws: `CoveError.io` naming the byte offset of a malformed record or a bad header.
    public static func parse(_ bytes: [UInt8]) throws(CoveError) -> [ShimRecord] {
        let head = Array(header.utf8)
        guard bytes.starts(with: head) else { throw CoveError(.io, "not a cove-shim config (bad header)") }
        var index = head.count
        var records: [ShimRecord] = []
        func number(until stop: UInt8) -> Int? {
            var value = 0
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                if index - start > 9 { return nil }
            }
            guard index > start, index < bytes.count, bytes[index] == stop else { return nil }
            index += 1
            return value
        }
        while index < bytes.count {
            let offset = index
            guard let space = bytes[index...].firstIndex(of: UInt8(ascii: " ")), space > index else {
                throw CoveError(.io, "malformed shim config record at byte \(offset)")
            }
            let name = String(decoding: bytes[index..<space], as: UTF8.self)
            index = space + 1
            guard let count = number(until: UInt8(ascii: "\n")) else {
                throw CoveError(.io, "malformed shim config record at byte \(offset)")
            }
            var arguments: [String] = []
            for _ in 0..<count {
                guard let length = number(until: UInt8(ascii: ":")), bytes.count - index > length,
                    bytes[index + length] == UInt8(ascii: "\n")
                else { throw CoveError(.io, "malformed shim config record at byte \(offset)") }
                arguments.append(String(decoding: bytes[index..<index + length], as: UTF8.self))
                index += length + 1
            }
            records.append(ShimRecord(name, arguments))
        }
        return records
    }
}
