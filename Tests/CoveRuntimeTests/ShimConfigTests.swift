import Foundation
import Testing

@testable import CoveRuntime

/// The config format between CoveRuntime and the C shim: what Swift writes, C reads back the
/// same; and C's parser survives corrupted files (a small fuzz: it must refuse, never crash).
@Suite("Shim config")
struct ShimConfigTests {
    static func check(_ bytes: [UInt8], in directory: URL) throws -> (
        status: Int32, reason: Process.TerminationReason, output: String
    ) {
        guard let shim = RuntimeFixture.shimPath() else { throw CocoaError(.fileNoSuchFile) }
        let file = directory.appendingPathComponent("config")
        try Data(bytes).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shim)
        process.arguments = ["check", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason, output)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cove-shim-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func plan() throws -> RuntimePlan {
        try PlanFixtures.planner(PlanFixtures.v1).plan(
            PlanFixtures.spec {
                $0.environment = ["A=line\nbreak", "B=ünïcode"]
                $0.resources.memory = 64 << 20
            }, user: ResolvedUser(uid: 1000, gid: 1000, groups: [27]), stateDirectory: "/state")
    }

    @Test("the shim reads back every step, argument and cgroup Swift wrote")
    func roundTrip() throws {
        guard RuntimeFixture.shimPath() != nil else {
            Issue.record("cove-shim not found beside the tests")
            return
        }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plan = try Self.plan()
        let (status, _, output) = try Self.check(plan.serialized(), in: directory)
        #expect(status == 0)
        let steps = output.split(separator: "\n").filter { $0.hasPrefix("step ") }.map(String.init)
        let expected = plan.steps.enumerated().map { index, step in
            (["step", String(index + 1), step.name] + step.arguments).joined(separator: " ")
        }
        #expect(steps == expected)
        #expect(output.contains("env A=line\nbreak\nenv B=ünïcode\n"))
        #expect(output.contains("cgroup /sys/fs/cgroup/memory/cove/web1\n"))
        #expect(output.contains("clone 0x6c020000 cgroupns 1"))
        #expect(output.contains("rules \(plan.seccomp?.rules.count ?? -1)\n"))
    }

    @Test("corrupted configs are refused with exit 2, never a crash (truncations, flipped bytes, bad lengths)")
    func fuzz() throws {
        guard RuntimeFixture.shimPath() != nil else {
            Issue.record("cove-shim not found beside the tests")
            return
        }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = try Self.plan().serialized()
        var generator = SystemRandomNumberGenerator()
        var crashes: [String] = []
        for round in 0..<300 {
            var bytes = good
            switch round % 4 {
            case 0:
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
            case 1:
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(
                        in: 0...255, using: &generator)
                }
            case 2:
                let digits = bytes.indices.filter { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }
                if let index = digits.randomElement(using: &generator) { bytes[index] = UInt8(ascii: "9") }
                if round % 8 == 2 {
                    bytes.insert(contentsOf: Array("99999999999".utf8), at: digits.randomElement() ?? 0)
                }
            default:
                bytes += (0..<Int.random(in: 1...64, using: &generator)).map { _ in UInt8.random(in: 0...255) }
            }
            let result = try Self.check(bytes, in: directory)
            if result.reason != .exit || (result.status != 0 && result.status != 2) {
                crashes.append("round \(round): \(result.reason) \(result.status)")
            }
        }
        #expect(crashes.isEmpty, "\(crashes)")
    }
}
