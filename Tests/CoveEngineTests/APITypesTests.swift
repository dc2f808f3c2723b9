import CoveAPI
import Foundation
import Testing

@Suite struct APITypesTests {
    @Test func versionsCompareNumberByNumber() throws {
        let v143 = try #require(APIVersion("1.43"))
        #expect(v143 == .current)
        #expect(try #require(APIVersion("1.9")) < v143)
        #expect(try #require(APIVersion("1.100")) > v143)
        #expect(try #require(APIVersion("1.43.0")) == v143)
        #expect(try #require(APIVersion("2")) > v143)
        #expect(APIVersion("1..2")?.components == [1, 0, 2])
        #expect(APIVersion("") == nil)
        #expect(APIVersion(".") == nil)
        #expect(APIVersion("1.4a") == nil)
        #expect(APIVersion.minimum.description == "1.24")
    }

    @Test(arguments: [
        ("x86_64", "amd64"), ("aarch64", "arm64"), ("i686", "386"), ("armv7l", "arm"), ("s390x", "s390x"),
        ("ppc64le", "ppc64le"), ("riscv64", "riscv64"), ("weird", "weird"),
    ])
    func machineNamesMapToGoArchitectures(machine: String, goName: String) {
        #expect(Architecture.goName(forMachine: machine) == goName)
    }

    @Test func timestampsAreRFC3339NanoInUTC() {
        #expect(Timestamp.rfc3339Nano(seconds: 0, nanoseconds: 0) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.rfc3339Nano(seconds: 1_700_000_000, nanoseconds: 120_000_000) == "2023-11-14T22:13:20.12Z")
        #expect(Timestamp.rfc3339Nano(seconds: 951_782_400, nanoseconds: 1) == "2000-02-29T00:00:00.000000001Z")
        #expect(Timestamp.rfc3339Nano(seconds: -1, nanoseconds: 0) == "1969-12-31T23:59:59Z")
        #expect(Timestamp.rfc3339Nano(seconds: 4_102_444_800, nanoseconds: 0) == "2100-01-01T00:00:00Z")
        #expect(Timestamp.rfc3339Nano(secondsSince1970: 1.9999999999) == "1970-01-01T00:00:02Z")
    }

    @Test func timestampsMatchFoundationOverManyDays() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        for seconds in stride(from: Int64(-2_000_000_000), to: 5_000_000_000, by: 86_400 * 37 + 3_601) {
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
            #expect(Timestamp.rfc3339Nano(seconds: seconds, nanoseconds: 0) == expected)
        }
    }

    @Test func errorBodyIsJustAMessage() throws {
        let data = try JSONEncoder().encode(APIErrorBody(message: "page not found"))
        #expect(String(decoding: data, as: UTF8.self) == #"{"message":"page not found"}"#)
    }
}
