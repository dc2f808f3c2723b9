import CoveCore
import Foundation
import Testing

@Suite struct DigestTests {
    static let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    @Test func parsesAndPrints() throws {
        let digest = try Digest(parsing: "sha256:\(Self.hex)")
        #expect(digest.algorithm == "sha256")
        #expect(digest.hex == Self.hex)
        #expect(digest.description == "sha256:\(Self.hex)")
        #expect(digest.shortHex == "e3b0c44298fc")
        #expect(try Digest(sha256Hex: Self.hex) == digest)
        #expect(Digest.isValid("sha256:\(Self.hex)"))
        #expect(Digest.isSHA256Hex(Self.hex))
    }

    @Test(arguments: [
        ("", "expected \"sha256:\" followed by 64 lower-case hex digits"),
        ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "expected \"sha256:\""),
        (":\(hex)", "the algorithm is missing"),
        ("sha512:\(hex)\(hex)", "unsupported digest algorithm \"sha512\""),
        ("SHA256:\(hex)", "unsupported digest algorithm \"SHA256\""),
        ("sha256:", "this one has 0"),
        ("sha256:abc", "this one has 3"),
        ("sha256:\(hex)0", "this one has 65"),
        ("sha256:\(hex.uppercased())", "lower-case"),
        ("sha256:\(String(hex.dropLast(2)))zz", "lower-case"),
        ("sha256:../../../../../../../../etc/passwd", "this one has 34"),
        ("sha256:\(String(hex.dropLast(3)))/..", "lower-case"),
        ("sha256:\(String(hex.dropLast(1)))\u{0}", "lower-case"),
        ("sha256:\(String(hex.dropLast(1)))é", "this one has 65"),
    ])
    func rejectsWithAClearMessage(_ text: String, _ message: String) {
        #expect {
            try Digest(parsing: text)
        } throws: { error in
            guard let error = error as? CoveError else { return false }
            return error.code == .invalidInput && error.message.contains(message)
        }
        #expect(!Digest.isValid(text))
    }

    @Test func longInputIsCutShortInTheMessage() {
        let text = "sha256:" + String(repeating: "a", count: 10_000)
        #expect {
            try Digest(parsing: text)
        } throws: { error in
            guard let error = error as? CoveError else { return false }
            return error.message.count < 300 && error.message.contains("…")
        }
    }

    @Test func codableAsString() throws {
        let digest = try Digest(parsing: "sha256:\(Self.hex)")
        let data = try JSONEncoder().encode(["d": digest])
        #expect(String(decoding: data, as: UTF8.self) == #"{"d":"sha256:\#(Self.hex)"}"#)
        #expect(try JSONDecoder().decode([String: Digest].self, from: data) == ["d": digest])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Digest].self, from: Data(#"["sha256:../etc"]"#.utf8))
        }
    }

    @Test func hashableAndOrdered() throws {
        let a = try Digest(sha256Hex: String(repeating: "a", count: 64))
        let b = try Digest(sha256Hex: String(repeating: "b", count: 64))
        #expect(a < b)
        #expect(Set([a, b, a]).count == 2)
    }
}
