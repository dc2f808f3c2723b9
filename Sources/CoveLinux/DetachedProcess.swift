import CoveCore
import Glibc

/// Starting a program that outlives its starter, as a daemon: in a new session (no controlling
/// terminal, out of the starter's process group), with standard input from `/dev/null` and
/// standard output and error appended to a log file, default signal actions and an empty signal mask.
public enum DetachedProcess {
    /// How a spawned child stands, as `status(of:)` finds it.
    public enum Status: Sendable, Equatable {
        /// The child has not exited.
        case running
        /// The child exited with this status.
        case exited(Int32)
        /// A signal with this number ended the child.
        case signaled(Int32)
    }

    /// Starts `executable` (an absolute path) with `arguments` (not counting `argv[0]`, which is the
    /// executable) and exactly `environment`, detached (`posix_spawn` with `POSIX_SPAWN_SETSID`).
    ///
    /// `logFile` is created (mode 0600) when missing and appended to; descriptors other than 0, 1
    /// and 2 are closed in the child.
    ///
    /// - Returns: the child's pid. The caller may poll it with `status(of:)`; once the caller exits,
    ///   the child is adopted by init.
    /// - Throws: `CoveError` when the log cannot be opened or the program cannot be started.
    public static func spawn(
        executable: String, arguments: [String], environment: [String: String], logFile: String
    ) throws(CoveError) -> Int32 {
        guard executable.hasPrefix("/") else {
            throw CoveError(.internalError, "cannot start \(executable): the path is not absolute")
        }
        let log = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard log >= 0 else { throw .systemCall("open", errno: errno, "cannot open the log \(logFile)") }
        defer { close(log) }

        var actions = posix_spawn_file_actions_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else {
            throw .systemCall("posix_spawn_file_actions_init", errno: errno, "cannot start \(executable)")
        }
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        guard posix_spawnattr_init(&attributes) == 0 else {
            throw .systemCall("posix_spawnattr_init", errno: errno, "cannot start \(executable)")
        }
        defer { posix_spawnattr_destroy(&attributes) }

        var code = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if code == 0 { code = posix_spawn_file_actions_adddup2(&actions, log, 1) }
        if code == 0 { code = posix_spawn_file_actions_adddup2(&actions, log, 2) }
        for descriptor in inheritableDescriptors() where code == 0 {
            code = posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        guard code == 0 else {
            throw .systemCall("posix_spawn_file_actions", errno: code, "cannot start \(executable)")
        }

        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        let flags = Int16(setSessionFlag | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        code = posix_spawnattr_setflags(&attributes, flags)
        if code == 0 { code = posix_spawnattr_setsigmask(&attributes, &noSignals) }
        if code == 0 { code = posix_spawnattr_setsigdefault(&attributes, &allSignals) }
        guard code == 0 else { throw .systemCall("posix_spawnattr", errno: code, "cannot start \(executable)") }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        guard !argv.dropLast().contains(nil), !envp.dropLast().contains(nil) else {
            throw CoveError(.internalError, "cannot start \(executable): out of memory")
        }
        var pid: pid_t = 0
        code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw .systemCall("posix_spawn", errno: code, "cannot start \(executable)") }
        return pid
    }

    /// `POSIX_SPAWN_SETSID` (glibc 2.26+): run the child in a new session. Swift's Glibc module
    /// leaves out this GNU extension, so its fixed value from `<spawn.h>` is spelled here.
    static let setSessionFlag: Int32 = 0x80

    /// Descriptors above 2 open in this process without close-on-exec, which a child would inherit
    /// (`posix_spawn_file_actions_addclosefrom_np` is another GNU extension Swift's Glibc leaves out).
    static func inheritableDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let descriptor = Int32(name), descriptor > 2, descriptor != own else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { descriptors.append(descriptor) }
        }
        return descriptors
    }

    /// Whether child `pid` still runs (`waitpid` with `WNOHANG`); an exited child is reaped.
    ///
    /// - Throws: `CoveError` when `pid` is not a child of this process or was already reaped.
    public static func status(of pid: Int32) throws(CoveError) -> Status {
        var status: Int32 = 0
        let result = retryingOnInterrupt { waitpid(pid, &status, WNOHANG) }
        guard result.result >= 0 else {
            throw .systemCall("waitpid", errno: result.errno, "cannot query process \(pid)")
        }
        if result.result == 0 { return .running }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// The absolute path of the running program (`/proc/self/exe`).
    public static func currentExecutable() throws(CoveError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else {
            throw .systemCall("readlink", errno: errno, "cannot find the running program (/proc/self/exe)")
        }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
