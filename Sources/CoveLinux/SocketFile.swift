import CoveCore
import Glibc

/// A UNIX stream socket's file on disk: what is there, removing it, and who may connect.
public enum SocketFile {
    /// What a socket path holds.
    public enum State: Sendable, Equatable {
        /// Nothing is at the path.
        case absent
        /// A socket whose server accepts connections: a live daemon.
        case listening
        /// A socket nothing listens on (`connect` is refused): left by a process that died.
        case stale
        /// Something that is not a socket (a file, a directory): never removed by Cove.
        case notASocket
    }

    /// The longest path a `sockaddr_un` holds, without its terminating NUL.
    public static let maximumPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// Finds out what `path` holds, connecting to it when it is a socket.
    public static func state(of path: String) throws(CoveError) -> State {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return .absent }
            throw .systemCall("lstat", errno: code, "cannot inspect \(path)")
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else { return .notASocket }
        var address = try socketAddress(path)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .systemCall("socket", errno: errno, "cannot probe \(path)") }
        defer { close(descriptor) }
        let connected = retryingOnInterrupt {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        if connected.result == 0 { return .listening }
        switch connected.errno {
        case ECONNREFUSED: return .stale
        case ENOENT: return .absent
        case EAGAIN: return .listening  // the listener's backlog is full: it is alive
        default: throw .systemCall("connect", errno: connected.errno, "cannot probe socket \(path)")
        }
    }

    /// Removes the socket file at `path`; one that is already gone is not an error.
    public static func remove(_ path: String) throws(CoveError) {
        try AtomicFile.remove(path)
    }

    /// The outcome of giving a socket to its group.
    public enum GroupOutcome: Sendable, Equatable {
        /// The socket now belongs to the group with this id.
        case applied(gid: UInt32)
        /// No group of that name exists: the socket keeps the daemon's group.
        case groupAbsent
        /// The group exists but this process may not give files to it (`chown` said `EPERM`).
        case notPermitted
    }

    /// Sets the socket's mode (0660: owner and group may connect) and, when group `group`
    /// exists, gives the socket to it.
    public static func restrictAccess(_ path: String, mode: UInt32 = 0o660, group: String = "cove")
        throws(CoveError) -> GroupOutcome
    {
        guard chmod(path, mode) == 0 else {
            throw .systemCall("chmod", errno: errno, "cannot set the mode of socket \(path)")
        }
        guard let gid = try groupID(named: group) else { return .groupAbsent }
        guard chown(path, uid_t.max, gid) == 0 else {
            let code = errno
            if code == EPERM { return .notPermitted }
            throw .systemCall("chown", errno: code, "cannot give socket \(path) to group \(group)")
        }
        return .applied(gid: gid)
    }

    /// The id of the group named `name` (`getgrnam_r`), or `nil` when there is none.
    static func groupID(named name: String) throws(CoveError) -> gid_t? {
        var group = group()
        var result: UnsafeMutablePointer<group>?
        var size = 1024
        while true {
            var buffer = [CChar](repeating: 0, count: size)
            let code = getgrnam_r(name, &group, &buffer, size, &result)
            if code == ERANGE && size < 1 << 20 {
                size *= 4
                continue
            }
            guard code == 0 else { throw .systemCall("getgrnam_r", errno: code, "cannot look up group \(name)") }
            return result == nil ? nil : group.gr_gid
        }
    }

    /// A `sockaddr_un` for `path`, which must fit in it and hold no NUL byte.
    static func socketAddress(_ path: String) throws(CoveError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count <= maximumPathLength else {
            throw CoveError(
                .invalidInput, "socket path \(path) is too long (\(bytes.count) bytes; at most \(maximumPathLength))")
        }
        guard !bytes.contains(0) else { throw CoveError(.invalidInput, "socket path \(path) holds a NUL byte") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }
}
