import CoveCore
import Foundation
import Testing

@testable import CoveCLI

@Suite struct TimeArgumentTests {
    @Test func unixSecondsDurationsAndRFC3339BecomeUnixSeconds() throws {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(try TimeArgument.timestamp("1700000000.5", now: now) == "1700000000.5")
        #expect(try TimeArgument.timestamp("10m", now: now) == "999400.000000000")
        #expect(try TimeArgument.timestamp("2000-01-01T00:00:00Z", now: now) == "946684800.000000000")
        #expect(try TimeArgument.timestamp("2000-01-01T00:00:00.25+01:00", now: now) == "946681200.250000000")
        #expect(throws: CoveError.self) { try TimeArgument.timestamp("yesterday", now: now) }
    }
}
