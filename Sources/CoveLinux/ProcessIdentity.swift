import Glibc

/// The user this process runs as.
public enum ProcessIdentity {
    /// The real uid and gid: who files the process creates on someone's behalf should belong to.
    public static var current: (uid: UInt32, gid: UInt32) { (getuid(), getgid()) }
}
