import CoveCore
import Glibc

/// Waiting for children, signalling processes by pid, short sleeps.
public enum ChildProcess {
    /// Blocks until child `pid` exits and reaps it.
    public static func wait(_ pid: Int32) throws(CoveError) -> DetachedProcess.Status {
        var status: Int32 = 0
        let result = retryingOnInterrupt { waitpid(pid, &status, 0) }
        guard result.result == pid else {
            throw .systemCall("waitpid", errno: result.errno, "cannot wait for process \(pid)")
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// Sends signal `number` to `pid`; a process that is already gone is not an error.
    public static func signal(_ number: Int32, to pid: Int32) throws(CoveError) {
        guard kill(pid, number) == 0 || errno == ESRCH else {
            throw .systemCall("kill", errno: errno, "cannot signal process \(pid)")
        }
    }

    /// Whether a process with this pid exists (`kill(pid, 0)`).
    public static func exists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Sleeps for `microseconds`.
    public static func sleep(microseconds: UInt32) {
        usleep(microseconds)
    }

    /// The number of a signal by name (`TERM`, `SIGKILL`, `9`), for `kill(2)`; `nil` if unknown.
    public static func signalNumber(_ name: String) -> Int32? {
        if let number = Int32(name) { return number > 0 && number < 65 ? number : nil }
        var upper = name.uppercased()
        if upper.hasPrefix("SIG") { upper.removeFirst(3) }
        let table: [String: Int32] = [
            "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "ILL": SIGILL, "TRAP": SIGTRAP, "ABRT": SIGABRT,
            "BUS": SIGBUS, "FPE": SIGFPE, "KILL": SIGKILL, "USR1": SIGUSR1, "SEGV": SIGSEGV, "USR2": SIGUSR2,
            "PIPE": SIGPIPE, "ALRM": SIGALRM, "TERM": SIGTERM, "STKFLT": 16, "CHLD": SIGCHLD, "CONT": SIGCONT,
            "STOP": SIGSTOP, "TSTP": SIGTSTP, "TTIN": SIGTTIN, "TTOU": SIGTTOU, "URG": SIGURG, "XCPU": SIGXCPU,
            "XFSZ": SIGXFSZ, "VTALRM": SIGVTALRM, "PROF": SIGPROF, "WINCH": SIGWINCH, "IO": SIGIO, "PWR": SIGPWR,
            "SYS": SIGSYS,
        ]
        return table[upper]
    }
}
