import CoveAPI
import Testing

@testable import CoveTerminal

/// The progress renderers: plain lines for logs and pipes, bars redrawn in place on a terminal.
@Suite struct ProgressRendererTests {
    /// Collects what a renderer writes.
    final class Sink {
        var text = ""
    }

    static let stream: [ProgressMessage] = [
        .status("Pulling from test/busybox", id: "1"),
        .status("Pulling fs layer", id: "aaa"),
        .status("Pulling fs layer", id: "bbb"),
        ProgressMessage(status: "Downloading", id: "aaa", progressDetail: .init(current: 500_000, total: 2_000_000)),
        ProgressMessage(status: "Downloading", id: "aaa", progressDetail: .init(current: 2_000_000, total: 2_000_000)),
        .status("Download complete", id: "aaa"),
        .status("Pull complete", id: "aaa"),
        .status("Already exists", id: "bbb"),
        .status("Digest: sha256:0123"),
        .status("Status: Downloaded newer image for 127.0.0.1:5000/test/busybox:1"),
    ]

    @Test func plainLinesShowEachChangeOnceAndNoRepeatedTransfers() {
        let sink = Sink()
        var renderer = PlainProgressRenderer { sink.text += $0 }
        for message in Self.stream { renderer.render(message) }
        #expect(
            sink.text == """
                1: Pulling from test/busybox
                aaa: Pulling fs layer
                bbb: Pulling fs layer
                aaa: Downloading
                aaa: Download complete
                aaa: Pull complete
                bbb: Already exists
                Digest: sha256:0123
                Status: Downloaded newer image for 127.0.0.1:5000/test/busybox:1

                """)
        #expect(renderer.failure == nil)
    }

    @Test func theTerminalRewritesALayersLineInPlaceWithABar() {
        let sink = Sink()
        var renderer = TerminalProgressRenderer(barWidth: 10) { sink.text += $0 }
        for message in Self.stream.prefix(4) { renderer.render(message) }
        // Three lines so far; "aaa" is the second, two above the cursor.
        #expect(
            sink.text == "1: Pulling from test/busybox\naaa: Pulling fs layer\nbbb: Pulling fs layer\n"
                + "\u{1B}[2A\r\u{1B}[2Kaaa: Downloading [==>       ]  500kB/2MB\r\u{1B}[2B")
    }

    @Test func aFailureLineIsRememberedNotPrinted() {
        let sink = Sink()
        var renderer = PlainProgressRenderer { sink.text += $0 }
        renderer.render(.status("Pulling fs layer", id: "aaa"))
        renderer.render(.failure("blob digest mismatch"))
        #expect(renderer.failure == "blob digest mismatch")
        #expect(sink.text == "aaa: Pulling fs layer\n")
    }

    @Test func barsAndSizesAreDockers() {
        #expect(ProgressBar.text(current: 0, total: 100, width: 4) == "[>   ]  0B/100B")
        #expect(ProgressBar.text(current: 100, total: 100, width: 4) == "[====]  100B/100B")
        #expect(ProgressBar.text(current: 1_234_567, total: nil, width: 4) == "1.23MB")
        #expect(ByteCount.decimal(999) == "999B")
        #expect(ByteCount.decimal(1000) == "1kB")
        #expect(ByteCount.decimal(2_500_000_000) == "2.5GB")
    }
}
