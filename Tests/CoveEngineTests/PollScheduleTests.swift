import Testing

@testable import CoveEngine

@Suite struct PollScheduleTests {
    @Test func pausesDoubleUpToTheMaximumAndResetToOneMillisecond() async {
        var schedule = PollSchedule(maximum: .milliseconds(6))
        var seen: [Duration] = []
        for _ in 0..<5 {
            seen.append(schedule.next)
            await schedule.pause()
        }
        #expect(seen == [1, 2, 4, 6, 6].map { Duration.milliseconds($0) })
        schedule.reset()
        #expect(schedule.next == .milliseconds(1))
    }
}
