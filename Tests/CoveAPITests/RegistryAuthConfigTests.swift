import CoveCore
import Foundation
import Testing

@testable import CoveAPI

/// `X-Registry-Auth` values as the docker CLI, docker-py and cove send them.
@Suite struct RegistryAuthConfigTests {
    @Test func decodesBase64URLWithAndWithoutPadding() throws {
        // {"username":"u?>","password":"p~~"} has '+' and '/' in standard base64.
        let json = #"{"username":"u?>","password":"p~~","serveraddress":"127.0.0.1:5000"}"#
        let standard = Data(json.utf8).base64EncodedString()
        #expect(standard.contains("/") || standard.contains("+"))
        let url = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        for value in [standard, url, url.replacingOccurrences(of: "=", with: "")] {
            let config = try #require(try RegistryAuthConfig.decodeHeader(value))
            #expect(config.resolved == ("u?>", "p~~"))
            #expect(config.serverAddress == "127.0.0.1:5000")
        }
    }

    @Test func theAuthFieldStandsInForUserAndPassword() throws {
        let value = Data(#"{"auth":"dXNlcjpwYTpzcw=="}"#.utf8).base64EncodedString()
        let config = try #require(try RegistryAuthConfig.decodeHeader(value))
        #expect(config.resolved == ("user", "pa:ss"))
    }

    @Test func emptyValuesMeanNoCredentials() throws {
        #expect(try RegistryAuthConfig.decodeHeader("") == nil)
        #expect(try RegistryAuthConfig.decodeHeader("e30=") == nil)
        #expect(try RegistryAuthConfig.decodeHeader(Data(#"{"username":""}"#.utf8).base64EncodedString()) == nil)
    }

    @Test func garbageIsRefusedClearly() {
        for value in ["!!!", "abcde", Data("not json".utf8).base64EncodedString()] {
            #expect {
                try RegistryAuthConfig.decodeHeader(value)
            } throws: { error in
                (error as? CoveError)?.message.hasPrefix("invalid X-Registry-Auth header") == true
            }
        }
    }

    @Test func theHeaderCoveSendsDecodesBack() throws {
        let sent = RegistryAuthConfig(username: "a", password: "b/c+d", serverAddress: "localhost:5000")
        let value = try sent.headerValue()
        #expect(!value.contains("+") && !value.contains("/"))
        #expect(try RegistryAuthConfig.decodeHeader(value) == sent)
    }

    @Test func progressMessagesEncodeAsDockerWritesThem() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let status = String(
            decoding: try encoder.encode(ProgressMessage.status("Pulling fs layer", id: "abc")), as: UTF8.self)
        #expect(status == #"{"id":"abc","progressDetail":{},"status":"Pulling fs layer"}"#)
        let failure = String(decoding: try encoder.encode(ProgressMessage.failure("boom")), as: UTF8.self)
        #expect(failure == #"{"error":"boom","errorDetail":{"message":"boom"}}"#)
    }
}
