import CoveAPI
import CoveCore
import Testing

@testable import CoveEngine

/// Docker's restart manager rules: policies, decisions and back-off; no root.
@Suite struct RestartRulesTests {
    @Test func policiesParseWithDockersMessages() throws {
        #expect(try RestartRules.policy(nil) == .no)
        #expect(try RestartRules.policy(RestartPolicy(name: "")) == .no)
        #expect(try RestartRules.policy(RestartPolicy(name: "always")) == .always)
        #expect(try RestartRules.policy(RestartPolicy(name: "unless-stopped")) == .unlessStopped)
        #expect(
            try RestartRules.policy(RestartPolicy(name: "on-failure", maximumRetryCount: 2)) == .onFailure(maximum: 2))
        let unknown = #expect(throws: CoveError.self) { try RestartRules.policy(RestartPolicy(name: "sometimes")) }
        #expect(unknown?.message.contains("unknown policy 'sometimes'") == true)
        let count = #expect(throws: CoveError.self) {
            try RestartRules.policy(RestartPolicy(name: "always", maximumRetryCount: 3))
        }
        #expect(count?.message.contains("can only be used with 'on-failure'") == true)
        #expect(throws: CoveError.self) {
            try RestartRules.policy(RestartPolicy(name: "on-failure", maximumRetryCount: -1))
        }
        let autoRemove = #expect(throws: CoveError.self) {
            try RestartRules.policy(RestartPolicy(name: "always"), autoRemove: true)
        }
        #expect(autoRemove?.message == "can't create 'AutoRemove' container with restart policy")
        #expect(try RestartRules.policy(RestartPolicy(name: "no"), autoRemove: true) == .no)
    }

    @Test func decisionsFollowThePolicy() {
        func restarts(
            _ policy: RestartRules.Policy, exit: Int32 = 1, count: Int = 0, byUser: Bool = false,
            cancelled: Bool = false
        ) -> Bool {
            RestartRules.shouldRestart(
                policy, exitCode: exit, restartCount: count, stoppedByUser: byUser, cancelled: cancelled)
        }
        #expect(!restarts(.no))
        #expect(restarts(.always, exit: 0))
        #expect(!restarts(.always, byUser: true, cancelled: true))
        // A kill with another signal that ends the process, or a daemon start after a stop.
        #expect(restarts(.always, byUser: true))
        #expect(restarts(.unlessStopped, exit: 0))
        #expect(!restarts(.unlessStopped, byUser: true))
        #expect(!restarts(.onFailure(maximum: 0), cancelled: true))
        #expect(!restarts(.onFailure(maximum: 0), exit: 0))
        #expect(restarts(.onFailure(maximum: 0), count: 100))
        #expect(restarts(.onFailure(maximum: 2), count: 1))
        #expect(!restarts(.onFailure(maximum: 2), count: 2))
    }

    @Test func backOffDoublesUpToAMinuteAndResetsAfterASteadyRun() {
        var delay: Duration? = nil
        var seen: [Duration] = []
        for _ in 0..<12 {
            delay = RestartRules.nextDelay(previous: delay, ranFor: .milliseconds(5))
            seen.append(delay ?? .zero)
        }
        #expect(seen.prefix(4) == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800)])
        #expect(seen.last == .seconds(60))
        #expect(seen.allSatisfy { $0 <= .seconds(60) })
        #expect(RestartRules.nextDelay(previous: .seconds(60), ranFor: .seconds(10)) == .milliseconds(100))
    }
}
