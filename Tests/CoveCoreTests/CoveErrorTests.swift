import CoveCore
import Testing

@Suite struct CoveErrorTests {
    @Test func descriptionNamesFileLineAndColumn() {
        let error = CoveError.invalid("unknown key", at: SourceLocation(file: "/p/compose.yaml", line: 3, column: 5))
        #expect(error.description == "/p/compose.yaml:3:5: unknown key")
        #expect(error.exitCode == 1)
    }

    @Test func descriptionWithoutLineNamesTheFile() {
        let error = CoveError(.notFound, "compose file not found", at: SourceLocation(file: "/p/x.yaml"))
        #expect(error.description == "/p/x.yaml: compose file not found")
    }

    @Test func serviceAndCauseAreAddedOnce() {
        let error = CoveError(.invalidInput, "has no image", service: "web", cause: "see docs")
        #expect(error.description == "service \"web\": has no image: see docs")
        let named = CoveError(.invalidInput, "service \"web\" has no image", service: "web")
        #expect(named.description == "service \"web\" has no image")
    }

    @Test func internedFileNamesRoundTrip() {
        let a = SourceLocation(file: "/a/compose.yaml", line: 1, column: 2)
        let b = SourceLocation(file: "/a/compose.yaml", line: 7, column: 1)
        #expect(a.fileID == b.fileID)
        #expect(a.file == "/a/compose.yaml")
        #expect(SourceLocation(file: "/b.yaml").fileID != a.fileID)
        #expect(!SourceLocation.synthesized.isKnown)
        #expect(SourceLocation.synthesized.description == "<generated>")
    }
}
