import CoveCore
import Foundation
import Testing

@testable import CoveCLI

/// `cove login`'s credential file: Docker's `auths` format, mode 0600, other keys kept.
@Suite struct CredentialStoreTests {
    func withScratch(_ body: (String) throws -> Void) throws {
        let directory = NSTemporaryDirectory() + "cove-credentials-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test func savesReadsAndRemovesCredentialsInAPrivateFile() throws {
        try withScratch { directory in
            let store = CredentialStore.chosen(environment: ["COVE_CONFIG": directory + "/cfg", "HOME": "/nonexistent"])
            #expect(store.path == directory + "/cfg/config.json")
            #expect(try store.credentials(for: "127.0.0.1:5000") == nil)
            try store.save(username: "user", password: "pa:ss", for: "127.0.0.1:5000")
            let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: store.path)))
            let auths = try #require((document as? [String: Any])?["auths"] as? [String: Any])
            #expect((auths["127.0.0.1:5000"] as? [String: String])?["auth"] == "dXNlcjpwYTpzcw==")
            let saved = try #require(try store.credentials(for: "127.0.0.1:5000"))
            #expect(saved.username == "user" && saved.password == "pa:ss")
            #expect(try store.remove(for: "127.0.0.1:5000"))
            #expect(try store.credentials(for: "127.0.0.1:5000") == nil)
            #expect(try !store.remove(for: "127.0.0.1:5000"))
        }
    }

    @Test func keepsWhatElseTheFileHoldsAndReadsDockerHubsKey() throws {
        try withScratch { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/config.json"
            let existing = #"{"auths":{"https://index.docker.io/v1/":{"auth":"aHViOnNlY3JldA=="}},"psFormat":"x"}"#
            try Data(existing.utf8).write(to: URL(fileURLWithPath: path))
            let store = CredentialStore(path: path)
            #expect(try store.credentials(for: "docker.io")?.username == "hub")
            try store.save(username: "a", password: "b", for: "localhost:5000")
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            #expect(document["psFormat"] as? String == "x")
            #expect(try store.credentials(for: "docker.io")?.password == "secret")
        }
    }

    @Test func aFileThatIsNotJSONIsReported() throws {
        try withScratch { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data("nope".utf8).write(to: URL(fileURLWithPath: directory + "/config.json"))
            #expect(throws: CoveError.self) {
                try CredentialStore(path: directory + "/config.json").credentials(for: "x")
            }
        }
    }

    @Test func loginServersNameARegistryDomain() throws {
        #expect(try LoginCommand.domain("") == "docker.io")
        #expect(try LoginCommand.domain("https://index.docker.io/v1/") == "docker.io")
        #expect(try LoginCommand.domain("127.0.0.1:5000") == "127.0.0.1:5000")
        #expect(try LoginCommand.domain("http://localhost:5000/v2/") == "localhost:5000")
        #expect(throws: CoveError.self) { try LoginCommand.domain("not a host") }
        #expect(throws: CoveError.self) { try LoginCommand.domain("UPPER:5000:1") }
    }
}
