import CoveCore
import Foundation
import GRDB

/// The engine's containers: rows of `containers` in the `StateStore`. Every change is one
/// transaction; names are unique (the database enforces it, the message is Docker's).
public struct ContainerRepository: Sendable {
    public let state: StateStore

    public init(state: StateStore) {
        self.state = state
    }

    /// Records a new container; `conflict` with Docker's message when its name is taken.
    public func create(_ record: ContainerRecord) throws(CoveError) {
        try Self.checkName(record.name)
        try state.write("create container \(record.name)") { db in
            try Self.checkNameFree(record.name, in: db)
            try record.insert(db)
        }
    }

    /// All containers, newest first.
    public func list() throws(CoveError) -> [ContainerRecord] {
        try state.read("list containers") { db in
            try ContainerRecord.order(ContainerRecord.CodingKeys.createdAt.desc, ContainerRecord.CodingKeys.id)
                .fetchAll(db)
        }
    }

    /// The container `text` names, as Docker resolves it: a full id, a name (with or without its
    /// leading `/`), or a unique id prefix. `notFound` (`No such container: x`) when nothing
    /// matches; `invalidInput` when a prefix matches several.
    public func resolve(_ text: String) throws(CoveError) -> ContainerRecord {
        try state.read("find container \(text)") { db in try Self.resolve(text, in: db) }
    }

    /// The container with this id, or nil.
    public func container(id: String) throws(CoveError) -> ContainerRecord? {
        try state.read("read container \(id)") { db in try ContainerRecord.fetchOne(db, key: id) }
    }

    /// Applies `change` to the stored container and saves it; returns the new record.
    @discardableResult
    public func update(_ id: String, _ change: @Sendable (inout ContainerRecord) -> Void) throws(CoveError)
        -> ContainerRecord
    {
        try state.write("update container \(id)") { db in
            guard var record = try ContainerRecord.fetchOne(db, key: id) else {
                throw CoveError(.notFound, "No such container: \(id)")
            }
            change(&record)
            try record.update(db)
            return record
        }
    }

    /// `docker rename`: `conflict` when the new name is taken.
    public func rename(_ text: String, to newName: String) throws(CoveError) {
        let name = newName.hasPrefix("/") ? String(newName.dropFirst()) : newName
        try Self.checkName(name)
        try state.write("rename container \(text)") { db in
            var record = try Self.resolve(text, in: db)
            if record.name == name {
                throw CoveError(.invalidInput, "Renaming a container with the same name as its current name")
            }
            try Self.checkNameFree(name, in: db)
            record.name = name
            try record.update(db)
        }
    }

    /// Removes the row; false when it was already gone.
    @discardableResult
    public func delete(id: String) throws(CoveError) -> Bool {
        try state.write("delete container \(id)") { db in try ContainerRecord.deleteOne(db, key: id) }
    }

    /// The containers whose root is made of this image.
    public func users(of image: Digest) throws(CoveError) -> [ContainerRecord] {
        try state.read("find containers of image \(image)") { db in
            try Self.users(of: image, in: db)
        }
    }

    static func users(of image: Digest, in db: Database) throws -> [ContainerRecord] {
        try ContainerRecord.filter(ContainerRecord.CodingKeys.imageID == image)
            .order(ContainerRecord.CodingKeys.createdAt).fetchAll(db)
    }

    static func resolve(_ text: String, in db: Database) throws -> ContainerRecord {
        guard !text.isEmpty else { throw CoveError(.notFound, "No such container: \(text)") }
        if let record = try ContainerRecord.fetchOne(db, key: text) { return record }
        let name = text.hasPrefix("/") ? String(text.dropFirst()) : text
        if let record = try ContainerRecord.filter(ContainerRecord.CodingKeys.name == name).fetchOne(db) {
            return record
        }
        if text.allSatisfy(\.isHexDigit) {
            let matches = try ContainerRecord.filter(ContainerRecord.CodingKeys.id.like("\(text.lowercased())%"))
                .limit(2).fetchAll(db)
            if matches.count > 1 {
                throw CoveError(.invalidInput, "multiple IDs found with provided prefix: \(text)")
            }
            if let match = matches.first { return match }
        }
        throw CoveError(.notFound, "No such container: \(text)")
    }

    /// Docker's name rule: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
    static func checkName(_ name: String) throws(CoveError) {
        let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || "_.-".contains(c)) }
        guard name.count >= 2, let first = name.first, first.isASCII, first.isLetter || first.isNumber,
            name.allSatisfy(allowed)
        else {
            throw CoveError(
                .invalidInput, "Invalid container name (\(name)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        }
    }

    static func checkNameFree(_ name: String, in db: Database) throws {
        if let holder = try ContainerRecord.filter(ContainerRecord.CodingKeys.name == name).fetchOne(db) {
            throw CoveError(
                .conflict,
                "Conflict. The container name \"/\(name)\" is already in use by container \"\(holder.id)\". "
                    + "You have to remove (or rename) that container to be able to reuse that name.")
        }
    }
}
