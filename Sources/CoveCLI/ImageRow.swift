import CoveAPI
import CoveCore
import Foundation

extension ImageSummary {
    /// The body of `GET /images/json`.
    static func decodeList(_ body: [UInt8]) throws(CoveError) -> [ImageSummary] {
        do {
            return try JSONDecoder().decode([ImageSummary].self, from: Data(body))
        } catch {
            throw CoveError(.internalError, "the engine's image list is not valid", cause: "\(error)")
        }
    }
}

/// One row of `image ls`: an image under one repository:tag (or `<none>`), with docker's columns.
struct ImageRow: Equatable {
    var repository: String
    var tag: String
    var digest: String
    /// `sha256:…` in full.
    var id: String
    var created: Int64
    var createdSince: String
    var size: String
    var virtualSize: String
    var sharedSize: String
    var uniqueSize: String
    var containers: String

    /// The id without its algorithm, cut to 12 characters, as docker shows it.
    var shortID: String {
        let hex = id.split(separator: ":", maxSplits: 1).last.map(String.init) ?? id
        return String(hex.prefix(12))
    }

    /// The rows for `images`, newest first: one per tag; an untagged image gets one row per
    /// repository it has a digest in, or one `<none>` row.
    static func rows(for images: [ImageSummary], now: Date) -> [ImageRow] {
        var rows: [ImageRow] = []
        for image in images.enumerated().sorted(by: {
            ($0.element.created, $1.offset) > ($1.element.created, $0.offset)
        })
        .map(\.element) {
            var names: [(repository: String, tag: String)] = image.repoTags.map(split)
            if names.isEmpty {
                names = Array(Set(image.repoDigests.map { split($0).repository })).sorted().map { ($0, "<none>") }
            }
            if names.isEmpty { names = [("<none>", "<none>")] }
            for name in names {
                let digest = image.repoDigests.first { split($0).repository == name.repository }
                    .flatMap { $0.split(separator: "@", maxSplits: 1).last.map(String.init) }
                rows.append(
                    ImageRow(
                        repository: name.repository, tag: name.tag, digest: digest ?? "<none>", id: image.id,
                        created: image.created,
                        createdSince: HumanUnits.duration(
                            seconds: now.timeIntervalSince1970 - Double(image.created)) + " ago",
                        size: HumanUnits.size(image.size), virtualSize: HumanUnits.size(image.virtualSize),
                        sharedSize: image.sharedSize < 0 ? "N/A" : HumanUnits.size(image.sharedSize),
                        uniqueSize: image.sharedSize < 0 || image.size < 0
                            ? "N/A" : HumanUnits.size(image.size - image.sharedSize),
                        containers: image.containers < 0 ? "N/A" : String(image.containers)))
            }
        }
        return rows
    }

    /// `name:tag` or `name@digest` split into the repository and the tag (`<none>` for a digest).
    static func split(_ reference: String) -> (repository: String, tag: String) {
        if let at = reference.firstIndex(of: "@") { return (String(reference[..<at]), "<none>") }
        let slash = reference.lastIndex(of: "/") ?? reference.startIndex
        if let colon = reference[slash...].lastIndex(of: ":") {
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
        }
        return (reference, "<none>")
    }

    /// The row as `docker image ls --format json` writes it: one object, keys sorted as Go sorts a map.
    func json() throws(CoveError) -> String {
        let object: [String: String] = [
            "Containers": containers, "CreatedAt": HumanUnits.goTime(unixSeconds: created),
            "CreatedSince": createdSince, "Digest": digest, "ID": shortID, "Repository": repository,
            "SharedSize": sharedSize, "Size": size, "Tag": tag, "UniqueSize": uniqueSize, "VirtualSize": virtualSize,
        ]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(object), as: UTF8.self)
        } catch {
            throw CoveError(.internalError, "cannot encode an image row", cause: "\(error)")
        }
    }
}
