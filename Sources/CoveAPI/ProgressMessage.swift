import CoveCore
import Foundation

/// One line of the engine's JSON progress stream, as Docker writes it for pull, push and import
/// (`jsonmessage.JSONMessage`): `{"status":"Downloading","progressDetail":{"current":1,"total":2},
/// "id":"a3ed95caeb02"}`, or `{"errorDetail":{"message":"…"},"error":"…"}` for a failure.
public struct ProgressMessage: Codable, Sendable, Equatable {
    /// Bytes done and expected, for a bar.
    public struct Detail: Codable, Sendable, Equatable {
        public var current: Int64?
        public var total: Int64?

        public init(current: Int64? = nil, total: Int64? = nil) {
            self.current = current
            self.total = total
        }
    }

    /// An error's text.
    public struct ErrorDetail: Codable, Sendable, Equatable {
        public var message: String

        public init(message: String) { self.message = message }
    }

    /// What a push reports at its end: the tag, the manifest digest and its size.
    public struct PushResult: Codable, Sendable, Equatable {
        public var tag: String
        public var digest: String
        public var size: Int

        public init(tag: String, digest: String, size: Int) {
            self.tag = tag
            self.digest = digest
            self.size = size
        }

        enum CodingKeys: String, CodingKey {
            case tag = "Tag"
            case digest = "Digest"
            case size = "Size"
        }
    }

    public var status: String?
    /// Text for the user, as is (`Loaded image: busybox:latest\n` from a load).
    public var stream: String?
    /// The object the line is about: a short layer id, or a tag.
    public var id: String?
    /// Always present on progress lines (`{}` when there is nothing to measure), as Docker sends it.
    public var progressDetail: Detail?
    /// A preformatted bar, for clients that print it as is.
    public var progress: String?
    public var error: String?
    public var errorDetail: ErrorDetail?
    public var aux: PushResult?

    public init(
        status: String? = nil, stream: String? = nil, id: String? = nil, progressDetail: Detail? = nil,
        progress: String? = nil, error: String? = nil, aux: PushResult? = nil
    ) {
        self.status = status
        self.stream = stream
        self.id = id
        self.progressDetail = progressDetail
        self.progress = progress
        self.error = error
        self.errorDetail = error.map(ErrorDetail.init)
        self.aux = aux
    }

    /// A status line about `id` (`Pulling fs layer`, `Download complete`, …) with an empty detail.
    public static func status(_ status: String, id: String? = nil) -> ProgressMessage {
        ProgressMessage(status: status, id: id, progressDetail: Detail())
    }

    /// A failure, ending the stream.
    public static func failure(_ message: String) -> ProgressMessage {
        ProgressMessage(error: message)
    }
}

extension ProgressMessage {
    /// The messages of a complete JSON stream (`body` of an import or a load); a message that
    /// reports an error is thrown as an `invalidInput` error with its text.
    public static func lines(of body: [UInt8], answering request: String) throws(CoveError) -> [ProgressMessage] {
        var messages: [ProgressMessage] = []
        for line in body.split(separator: UInt8(ascii: "\n")) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            guard let message = try? JSONDecoder().decode(ProgressMessage.self, from: Data(line)) else {
                throw CoveError(.internalError, "the engine's answer to \(request) is not a JSON stream")
            }
            if let error = message.errorDetail?.message ?? message.error { throw CoveError(.invalidInput, error) }
            messages.append(message)
        }
        return messages
    }
}
