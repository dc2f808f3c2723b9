/// The uid, gid and groups the container's process runs with.
public struct ResolvedUser: Sendable, Equatable {
    public var uid: UInt32
    public var gid: UInt32
    public var groups: [UInt32]
    /// The passwd entry's home directory, when there is one.
    public var home: String?

    public init(uid: UInt32, gid: UInt32, groups: [UInt32] = [], home: String? = nil) {
        self.uid = uid
        self.gid = gid
        self.groups = groups
        self.home = home
    }
}
