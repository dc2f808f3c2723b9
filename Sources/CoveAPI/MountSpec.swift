/// One entry of a create request's `HostConfig.Mounts` (API v1.43 `Mount`), what `--mount` sends.
public struct MountSpec: Codable, Sendable, Equatable {
    /// `bind`, `volume` or `tmpfs`.
    public var type: String?
    /// A host path for `bind`, a volume name for `volume` (empty: anonymous).
    public var source: String?
    public var target: String?
    public var readOnly: Bool?
    public var bindOptions: BindOptions?
    public var volumeOptions: VolumeOptions?
    public var tmpfsOptions: TmpfsOptions?

    public init(type: String, source: String? = nil, target: String, readOnly: Bool? = nil) {
        self.type = type
        self.source = source
        self.target = target
        self.readOnly = readOnly
    }

    public struct BindOptions: Codable, Sendable, Equatable {
        /// `private`, `rprivate`, `shared`, `rshared`, `slave`, `rslave`.
        public var propagation: String?
        /// Create a missing source directory (as `-v` does) instead of failing.
        public var createMountpoint: Bool?

        public init(propagation: String? = nil, createMountpoint: Bool? = nil) {
            self.propagation = propagation
            self.createMountpoint = createMountpoint
        }

        enum CodingKeys: String, CodingKey {
            case propagation = "Propagation"
            case createMountpoint = "CreateMountpoint"
        }
    }

    public struct VolumeOptions: Codable, Sendable, Equatable {
        /// Do not fill a new volume from the image's content.
        public var noCopy: Bool?
        public var labels: [String: String]?

        public init(noCopy: Bool? = nil, labels: [String: String]? = nil) {
            self.noCopy = noCopy
            self.labels = labels
        }

        enum CodingKeys: String, CodingKey {
            case noCopy = "NoCopy"
            case labels = "Labels"
        }
    }

    public struct TmpfsOptions: Codable, Sendable, Equatable {
        public var sizeBytes: Int64?
        /// Permission bits (an integer, as Docker's `os.FileMode`).
        public var mode: UInt32?

        public init(sizeBytes: Int64? = nil, mode: UInt32? = nil) {
            self.sizeBytes = sizeBytes
            self.mode = mode
        }

        enum CodingKeys: String, CodingKey {
            case sizeBytes = "SizeBytes"
            case mode = "Mode"
        }
    }

    enum CodingKeys: String, CodingKey {
        case type = "Type"
        case source = "Source"
        case target = "Target"
        case readOnly = "ReadOnly"
        case bindOptions = "BindOptions"
        case volumeOptions = "VolumeOptions"
        case tmpfsOptions = "TmpfsOptions"
    }
}
