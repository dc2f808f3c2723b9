import CoveLinux
import Foundation
import NIOCore
import NIOPosix

/// A registry that wants Bearer tokens: a python3 proxy on a loopback port in front of a
/// `RegistryProcess`, with its own token endpoint (`/token`, the challenge's realm) that gives a
/// token for the scopes asked to a client with the right Basic credentials. Requests without a
/// token that covers their repository and action get a 401 Bearer challenge; others are forwarded.
/// Each token it grants is logged with its scopes. Killed by pid in `cleanUp()`.
final class TokenProxy {
    let port: Int
    let process = Process()
    let logPath = NSTemporaryDirectory() + "cove-token-proxy-" + UUID().uuidString + ".log"
    var address: String { "127.0.0.1:\(port)" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    init(upstream: RegistryProcess, user: String, password: String) throws {
        guard let python3 = ExternalCommand.python3 else { throw TestFailure("python3 not on PATH") }
        port = try RegistryProcess.freePort()
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: python3)
        process.arguments = ["-c", Self.script, String(port), String(upstream.port), user, password]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = process.standardOutput
        try process.run()
        if RegistryProcess.waitUntilListening(port: port) { return }
        cleanUp()
        throw TestFailure("the token proxy did not listen within 10 s:\n\(log)")
    }

    func cleanUp() {
        if process.isRunning {
            try? Signal.kill.send(to: process.processIdentifier)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    static let script = #"""
        import base64, http.client, http.server, json, re, secrets, sys, urllib.parse
        port, upstream, user, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
        realm = "http://127.0.0.1:%d/token" % port
        basic = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        tokens = {}

        def covers(granted, repository, action):
            for scope in granted:
                kind, _, rest = scope.partition(":")
                name, _, actions = rest.rpartition(":")
                if kind == "repository" and name == repository and action in actions.split(","):
                    return True
            return False

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body, headers):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def token(self):
                query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                if self.headers.get("Authorization") != basic:
                    body = b'{"errors":[{"code":"UNAUTHORIZED","message":"incorrect username or password"}]}'
                    return self.reply(401, body, [("Content-Type", "application/json")])
                token = secrets.token_hex(16)
                tokens[token] = query.get("scope", [])
                print("granted", query.get("service", [""])[0], " ".join(sorted(tokens[token])), flush=True)
                self.reply(200, json.dumps({"token": token}).encode(), [("Content-Type", "application/json")])

            def forward(self):
                if self.path.startswith("/token"):
                    return self.token()
                match = re.match(r"^/v2/(.+?)/(manifests|blobs|tags)/", self.path)
                need = None
                if match:
                    need = (match.group(1), "pull" if self.command in ("GET", "HEAD") else "push")
                authorization = self.headers.get("Authorization", "")
                granted = tokens.get(authorization[7:]) if authorization.startswith("Bearer ") else None
                if granted is None or (need and not covers(granted, *need)):
                    scope = ',scope="repository:%s:%s"' % need if need else ""
                    challenge = 'Bearer realm="%s",service="cove-test"%s' % (realm, scope)
                    body = b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}'
                    return self.reply(401, body, [("Content-Type", "application/json"), ("WWW-Authenticate", challenge)])
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() != "authorization"}
                connection = http.client.HTTPConnection("127.0.0.1", upstream)
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                length = answer.getheader("Content-Length") if self.command == "HEAD" else None
                self.send_header("Content-Length", length or str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = forward

        http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#
}
