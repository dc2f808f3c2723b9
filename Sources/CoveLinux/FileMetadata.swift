/// The owner, permissions, time and extended attributes given to a file created under a
/// `RootedDirectory`.
public struct FileMetadata: Hashable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    /// Permission bits including setuid, setgid and sticky (`0o7777`); ignored for symlinks.
    public var mode: UInt32
    /// The modification (and access) time: seconds since the epoch and nanoseconds.
    public var modificationTime: Int64
    public var modificationNanoseconds: Int64
    public var xattrs: [ExtendedAttribute]

    public init(
        uid: UInt32, gid: UInt32, mode: UInt32, modificationTime: Int64, modificationNanoseconds: Int64 = 0,
        xattrs: [ExtendedAttribute] = []
    ) {
        self.uid = uid
        self.gid = gid
        self.mode = mode
        self.modificationTime = modificationTime
        self.modificationNanoseconds = modificationNanoseconds
        self.xattrs = xattrs
    }
}
