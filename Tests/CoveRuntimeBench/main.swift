// cove-runtime-bench: a bench helper, not shipped. bench/bench.py runs it as root to time a
// container running `true` through CoveRuntime (create, start, wait, delete: what the daemon
// will do per `run --rm`, from a long-lived process) and to read a shim's PSS.
//
//   cove-runtime-bench ROOTFS WORKDIR RUNS   prints one JSON object:
//   {"runs_ms": [...], "median_ms": M, "shim_pss_kb": K}
//   cove-runtime-bench exec ROOTFS WORKDIR RUNS   times `exec true` (exec, start, wait, delete)
//   in one running container: {"runs_ms": [...], "median_ms": M}
import CoveCore
import CoveLinux
import CoveRuntime
import Foundation

func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}

func median(_ times: [Double]) -> String {
    let list = times.map { String(format: "%.2f", $0) }.joined(separator: ", ")
    return "\"runs_ms\": [\(list)], \"median_ms\": \(String(format: "%.2f", times.sorted()[times.count / 2]))"
}

/// `exec true` in a running container, `runs` times after one warm-up.
func benchExec(runtime: Runtime, rootfs: String, work: String, runs: Int) throws -> Int32 {
    let container = try runtime.create(
        ContainerSpec(id: "exec", rootfs: rootfs, arguments: ["sleep", "600"]), stateDirectory: "\(work)/state-exec")
    defer { try? runtime.delete(container, force: true) }
    try runtime.start(container)
    var times: [Double] = []
    for run in 0...runs {
        let start = ContinuousClock.now
        let exec = try runtime.exec(
            container, process: ExecSpec(arguments: ["true"]), stateDirectory: "\(work)/e\(run)")
        try runtime.start(exec)
        let state = try runtime.wait(exec)
        try runtime.delete(exec)
        if run > 0 { times.append(milliseconds(since: start)) }
        guard state.exitCode == 0 else { throw CoveError(.internalError, "exec true exited with \(state.exitCode)") }
    }
    let sleeper = try runtime.exec(
        container, process: ExecSpec(arguments: ["sleep", "30"]), stateDirectory: "\(work)/e-pss")
    try runtime.start(sleeper)
    let pss = try shimPSS(sleeper.stateDirectory)
    try runtime.delete(sleeper)
    print("{\(median(times)), \"shim_pss_kb\": \(pss)}")
    return 0
}

/// The PSS (kB) of the shim whose pid is in `directory/shim.pid`.
func shimPSS(_ directory: String) throws -> String {
    let pidText = try String(contentsOfFile: "\(directory)/shim.pid", encoding: .utf8)
    let rollup = try String(
        contentsOfFile: "/proc/\(pidText.trimmingCharacters(in: .whitespacesAndNewlines))/smaps_rollup", encoding: .utf8
    )
    return rollup.split(separator: "\n").first { $0.hasPrefix("Pss:") }?.split(separator: " ").dropFirst().first.map(
        String.init) ?? "0"
}

func main() throws -> Int32 {
    var arguments = CommandLine.arguments
    let execMode = arguments.count == 5 && arguments[1] == "exec"
    if execMode { arguments.remove(at: 1) }
    guard arguments.count == 4, let runs = Int(arguments[3]), runs > 0 else {
        FileHandle.standardError.write(Data("usage: cove-runtime-bench [exec] ROOTFS WORKDIR RUNS\n".utf8))
        return 2
    }
    let rootfs = arguments[1]
    let work = arguments[2]
    let shim = URL(fileURLWithPath: try DetachedProcess.currentExecutable()).deletingLastPathComponent()
        .appendingPathComponent("cove-shim").path
    var runtime = Runtime.forHost(shimPath: shim, cgroupParent: "cove-bench-\(getpid())")
    runtime.seccompCacheDirectory = "\(work)/seccomp"
    defer {
        for controller in ["memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "freezer", "devices", "unified"] {
            rmdir("/sys/fs/cgroup/\(controller)/cove-bench-\(getpid())")
        }
        rmdir("/sys/fs/cgroup/cove-bench-\(getpid())")
    }
    if execMode { return try benchExec(runtime: runtime, rootfs: rootfs, work: work, runs: runs) }
    var times: [Double] = []
    for run in 0...runs {  // run 0 warms the caches and is not counted
        var spec = ContainerSpec(id: "bench\(run)", rootfs: rootfs, arguments: ["true"])
        if ProcessInfo.processInfo.environment["COVE_BENCH_UNCONFINED"] != nil { spec.seccomp = .unconfined }
        let state = "\(work)/state-\(run)"
        let start = ContinuousClock.now
        let handle = try runtime.create(spec, stateDirectory: state)
        let created = milliseconds(since: start)
        try runtime.start(handle)
        let started = milliseconds(since: start)
        let exited = try runtime.wait(handle)
        let waited = milliseconds(since: start)
        try runtime.delete(handle)
        if ProcessInfo.processInfo.environment["COVE_BENCH_PHASES"] != nil {
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "create %.1f start %.1f wait %.1f delete %.1f\n", created, started, waited,
                        milliseconds(since: start)
                    ).utf8))
        }
        if run > 0 { times.append(milliseconds(since: start)) }
        guard exited.exitCode == 0 else { throw CoveError(.internalError, "true exited with \(exited.exitCode)") }
        try? FileManager.default.removeItem(atPath: state)
    }

    let sleeper = try runtime.create(
        ContainerSpec(id: "pss", rootfs: rootfs, arguments: ["sleep", "30"]), stateDirectory: "\(work)/state-pss")
    try runtime.start(sleeper)
    let pss = try shimPSS("\(work)/state-pss")
    try runtime.delete(sleeper, force: true)

    let sorted = times.sorted()
    let median = sorted[sorted.count / 2]
    let list = times.map { String(format: "%.2f", $0) }.joined(separator: ", ")
    print("{\"runs_ms\": [\(list)], \"median_ms\": \(String(format: "%.2f", median)), \"shim_pss_kb\": \(pss)}")
    return 0
}

do {
    exit(try main())
} catch {
    FileHandle.standardError.write(Data("cove-runtime-bench: \(error)\n".utf8))
    exit(1)
}
