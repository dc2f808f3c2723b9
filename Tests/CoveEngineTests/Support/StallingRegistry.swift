import CoveLinux
import Foundation
import NIOCore
import NIOPosix

/// A read-only registry in python3 that serves one image from files and stalls the first download
/// of its layer halfway (it sends half the bytes, then nothing), so a test can kill the daemon in
/// the middle of a pull; later downloads are whole. Killed by pid in `cleanUp()`.
final class StallingRegistry {
    let port: Int
    let directory: String
    let process = Process()
    var address: String { "127.0.0.1:\(port)" }
    var log: String { (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? "" }

    /// Serves `manifest` (by the tag `1` and by its digest) and the blobs in `blobs` (by digest);
    /// the blob `stalled` is cut short on its first download.
    init(manifest: Data, mediaType: String, blobs: [String: Data], stalled: String) throws {
        guard let python3 = ExternalCommand.python3 else { throw TestFailure("python3 not on PATH") }
        port = try RegistryProcess.freePort()
        directory = NSTemporaryDirectory() + "cove-stalling-registry-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: directory + "/blobs", withIntermediateDirectories: true)
        try manifest.write(to: URL(fileURLWithPath: directory + "/manifest"))
        for (digest, data) in blobs { try data.write(to: URL(fileURLWithPath: directory + "/blobs/" + digest)) }
        _ = FileManager.default.createFile(atPath: directory + "/server.log", contents: nil)
        process.executableURL = URL(fileURLWithPath: python3)
        process.arguments = ["-c", Self.script, String(port), directory, mediaType, stalled]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/server.log"))
        process.standardError = process.standardOutput
        try process.run()
        if RegistryProcess.waitUntilListening(port: port) { return }
        cleanUp()
        throw TestFailure("the stalling registry did not listen within 10 s")
    }

    func cleanUp() {
        if process.isRunning {
            try? Signal.kill.send(to: process.processIdentifier)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    static let script = #"""
        import hashlib, http.server, os, sys, threading, time
        port, directory, media_type, stalled = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
        manifest = open(os.path.join(directory, "manifest"), "rb").read()
        manifest_digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
        state = {"stalled": False}
        lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send(self, status, body, content_type="application/json", length=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_GET(self):
                parts = self.path.split("/")
                if self.path == "/v2/":
                    return self.send(200, b"{}")
                if len(parts) >= 5 and parts[-2] == "manifests" and parts[-1] in ("1", manifest_digest):
                    return self.send(200, manifest, media_type)
                if len(parts) >= 5 and parts[-2] == "blobs":
                    path = os.path.join(directory, "blobs", parts[-1])
                    if not os.path.exists(path):
                        return self.send(404, b'{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}')
                    data = open(path, "rb").read()
                    with lock:
                        stall = parts[-1] == stalled and not state["stalled"]
                        state["stalled"] = state["stalled"] or stall
                    if stall:
                        self.send(200, data[: len(data) // 2], "application/octet-stream", length=len(data))
                        self.wfile.flush()
                        print("stalling", flush=True)
                        time.sleep(600)
                        return
                    return self.send(200, data, "application/octet-stream")
                self.send(404, b'{"errors":[{"code":"NAME_UNKNOWN","message":"unknown"}]}')

            do_HEAD = do_GET

        http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#
}
