import Testing

@testable import CoveEngine

@Suite struct RecentExitCodesTests {
    @Test func keepsTheCodeOfARemovedContainer() {
        var codes = RecentExitCodes(capacity: 4)
        codes.record("a", exitCode: 3)
        codes.record("b", exitCode: 0)
        #expect(codes["a"] == 3)
        #expect(codes["b"] == 0)
        #expect(codes["c"] == nil)
    }

    @Test func recordingAgainReplacesTheCodeWithoutGrowing() {
        var codes = RecentExitCodes(capacity: 4)
        codes.record("a", exitCode: 3)
        codes.record("a", exitCode: 137)
        #expect(codes["a"] == 137)
        #expect(codes.count == 1)
    }

    /// The daemon removes containers for months: what it holds stays bounded, the newest kept.
    @Test func manyRemovalsKeepOnlyTheNewest() {
        let capacity = 16
        var codes = RecentExitCodes(capacity: capacity)
        for i in 0..<10_000 {
            codes.record("c\(i)", exitCode: Int32(i % 256))
            #expect(codes.count < 2 * capacity)
        }
        #expect(codes.count >= capacity)
        for i in (10_000 - capacity)..<10_000 {
            #expect(codes["c\(i)"] == Int32(i % 256))
        }
        #expect(codes["c0"] == nil)
        #expect(codes["c\(10_000 - 2 * capacity)"] == nil)
    }
}
