import CoveAPI
import CoveCore
import Foundation
import Testing

@testable import CoveEngine

/// The exec endpoints' JSON as Docker's clients read it, and the words of an exec that cannot start.
@Suite struct ExecJSONTests {
    @Test func inspectShowsANullExitCodeWhileRunningAndDockersKeys() throws {
        let config = ExecProcessConfig(tty: false, entrypoint: "sleep", arguments: ["1"], privileged: false, user: "")
        let running = ExecInspect(
            id: "abc", running: true, exitCode: nil, processConfig: config, openStdin: false, openStdout: true,
            openStderr: true, containerID: "c1", pid: 42)
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(running)) as? [String: Any])
        #expect(object["ExitCode"] is NSNull)
        #expect(object["ID"] as? String == "abc" && object["Pid"] as? Int == 42 && object["Running"] as? Bool == true)
        let process = try #require(object["ProcessConfig"] as? [String: Any])
        #expect(process["entrypoint"] as? String == "sleep" && process["arguments"] as? [String] == ["1"])
        var exited = running
        exited.running = false
        exited.exitCode = 3
        let decoded = try JSONDecoder().decode(ExecInspect.self, from: JSONEncoder().encode(exited))
        #expect(decoded.exitCode == 3 && !decoded.running)
    }

    @Test func createRequestReadsDockersKeys() throws {
        let body =
            #"{"Cmd":["sh","-c","id"],"Env":["X=1"],"User":"nobody","WorkingDir":"/tmp","Tty":true,"AttachStdin":true,"Privileged":true,"DetachKeys":"ctrl-p"}"#
        let request = try JSONDecoder().decode(ExecCreateRequest.self, from: Data(body.utf8))
        #expect(request.cmd == ["sh", "-c", "id"] && request.env == ["X=1"] && request.user == "nobody")
        #expect(request.workingDir == "/tmp" && request.tty == true && request.attachStdin == true)
        #expect(request.privileged == true && request.attachStdout == nil)
    }

    @Test func aFailedStartIsOneStdoutFrameUnlessRaw() {
        let framed = ExecRoutes.failureOutput(CoveError(.notFound, "x"), program: "nope", tty: false)
        let text = String(decoding: framed.dropFirst(8), as: UTF8.self)
        #expect(Array(framed.prefix(4)) == [1, 0, 0, 0])
        let size = framed[4...7].reduce(0) { $0 << 8 | Int($1) }
        #expect(size == framed.count - 8)
        #expect(text.contains("exec: \"nope\": executable file not found in $PATH"))
        let raw = ExecRoutes.failureOutput(CoveError(.invalidInput, "x"), program: "/etc/passwd", tty: true)
        #expect(String(decoding: raw, as: UTF8.self).contains("exec: \"/etc/passwd\": permission denied"))
    }
}
