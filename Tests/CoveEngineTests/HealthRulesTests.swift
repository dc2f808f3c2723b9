import CoveAPI
import CoveCore
import CoveImage
import Testing

@testable import CoveEngine

/// Docker's healthcheck rules: settings, inheritance, the probe schedule and the state
/// machine; no root.
@Suite struct HealthRulesTests {
    @Test func testFormsAndDefaults() throws {
        #expect(HealthRules(nil) == nil)
        #expect(HealthRules(Healthcheck(test: ["NONE"])) == nil)
        #expect(HealthRules(Healthcheck(test: [])) == nil)
        let shell = try #require(HealthRules(Healthcheck(test: ["CMD-SHELL", "test -f /ready"])))
        #expect(shell.command == ["/bin/sh", "-c", "test -f /ready"])
        #expect(shell.interval == .seconds(30))
        #expect(shell.timeout == .seconds(30))
        #expect(shell.startPeriod == .zero)
        #expect(shell.startInterval == .seconds(5))
        #expect(shell.retries == 3)
        let exec = try #require(
            HealthRules(Healthcheck(test: ["CMD", "true", "x"], interval: 200_000_000, retries: 1)))
        #expect(exec.command == ["true", "x"])
        #expect(exec.interval == .milliseconds(200))
        #expect(exec.retries == 1)
    }

    @Test func validationHasDockersMessages() {
        let short = #expect(throws: CoveError.self) { try HealthRules.validate(Healthcheck(interval: 999)) }
        #expect(short?.message == "Interval in Healthcheck cannot be less than 1ms")
        let retries = #expect(throws: CoveError.self) { try HealthRules.validate(Healthcheck(retries: -1)) }
        #expect(retries?.message == "Retries in Healthcheck cannot be negative")
        #expect(throws: Never.self) { try HealthRules.validate(Healthcheck(test: ["NONE"], interval: 0)) }
    }

    @Test func theImagesCheckIsInheritedFieldByField() {
        let image = HealthConfig(test: ["CMD", "check"], interval: 5_000_000_000, timeout: 1_000_000_000, retries: 7)
        #expect(HealthRules.merge(nil, image: image)?.test == ["CMD", "check"])
        let merged = HealthRules.merge(Healthcheck(interval: 2_000_000_000), image: image)
        #expect(merged?.test == ["CMD", "check"])
        #expect(merged?.interval == 2_000_000_000)
        #expect(merged?.timeout == 1_000_000_000)
        #expect(merged?.retries == 7)
        let disabled = HealthRules.merge(Healthcheck(test: ["NONE"]), image: image)
        #expect(disabled.flatMap(HealthRules.init) == nil)
        #expect(HealthRules.merge(Healthcheck(test: ["CMD", "x"]), image: nil)?.test == ["CMD", "x"])
    }

    @Test func aCreatedContainerGetsTheImagesCheckUnlessItSaysNone() throws {
        let image = ContainerConfig(
            cmd: ["sleep", "9"], healthcheck: HealthConfig(test: ["CMD-SHELL", "check"], interval: 2_000_000_000))
        let inherited = ContainerSpecBuilder.complete(ContainerCreateRequest(image: "x"), image: image)
        #expect(try #require(HealthRules(inherited.healthcheck)).command == ["/bin/sh", "-c", "check"])
        var request = ContainerCreateRequest(image: "x")
        request.healthcheck = Healthcheck(test: ["NONE"])
        #expect(HealthRules(ContainerSpecBuilder.complete(request, image: image).healthcheck) == nil)
    }

    @Test func theStartIntervalAppliesOnlyWhileStartingWithinTheStartPeriod() throws {
        let rules = try #require(
            HealthRules(
                Healthcheck(
                    test: ["CMD", "x"], interval: 10_000_000_000, startPeriod: 60_000_000_000,
                    startInterval: 1_000_000_000)))
        #expect(rules.nextWait(sinceStart: .seconds(1), status: "starting") == .seconds(1))
        #expect(rules.nextWait(sinceStart: .seconds(1), status: "healthy") == .seconds(10))
        #expect(rules.nextWait(sinceStart: .seconds(61), status: "starting") == .seconds(10))
    }

    @Test func stateMachine() throws {
        let rules = try #require(HealthRules(Healthcheck(test: ["CMD", "x"], startPeriod: 5_000_000_000, retries: 2)))
        func result(_ code: Int) -> HealthProbeResult {
            HealthProbeResult(start: "s", end: "e", exitCode: code, output: "")
        }
        var health = ContainerHealth(status: "starting")
        // Failures within the start period before any success do not count.
        #expect(rules.record(result(1), startedAfter: .seconds(1), into: &health) == nil)
        #expect(health.failingStreak == 0)
        #expect(rules.record(result(0), startedAfter: .seconds(2), into: &health) == "healthy")
        #expect(rules.record(result(1), startedAfter: .seconds(3), into: &health) == nil)
        #expect(health.failingStreak == 1)
        #expect(rules.record(result(-1), startedAfter: .seconds(4), into: &health) == "unhealthy")
        #expect(health.failingStreak == 2)
        #expect(rules.record(result(0), startedAfter: .seconds(9), into: &health) == "healthy")
        #expect(health.failingStreak == 0)
        for _ in 0..<5 { _ = rules.record(result(0), startedAfter: .seconds(10), into: &health) }
        #expect(health.log.count == HealthRules.logLength)
        var late = ContainerHealth(status: "starting")
        _ = rules.record(result(1), startedAfter: .seconds(6), into: &late)
        #expect(late.failingStreak == 1)
        #expect(rules.record(result(1), startedAfter: .seconds(7), into: &late) == "unhealthy")
    }

    @Test func goDurations() {
        #expect(HealthRules.goDuration(.milliseconds(200)) == "200ms")
        #expect(HealthRules.goDuration(.seconds(30)) == "30s")
        #expect(HealthRules.goDuration(.seconds(90)) == "1m30s")
        #expect(HealthRules.goDuration(.milliseconds(1500)) == "1.5s")
    }
}
