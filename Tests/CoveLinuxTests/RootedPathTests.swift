import CoveLinux
import Testing

/// Lexical cleaning of archive names (no root needed).
@Suite struct RootedPathTests {
    @Test(arguments: [
        ("./usr/bin/", "usr/bin"), ("/etc/passwd", "etc/passwd"), ("../../etc/passwd", "etc/passwd"),
        ("a/../../b", "b"), ("a//b/./c", "a/b/c"), ("./", "."), ("", "."), ("..", "."), ("a/b/..", "a"),
        (".wh..wh..opq", ".wh..wh..opq"),
    ])
    func namesAreCleanedAsIfJoinedToTheRoot(name: String, cleaned: String) {
        #expect(RootedPath(name).description == cleaned)
        #expect(!RootedPath(name).components.contains { $0 == ".." || $0 == "." || $0.isEmpty || $0.contains("/") })
    }

    @Test func parentAndNameSplitTheLastComponent() {
        let path = RootedPath("a/b/c")
        #expect(path.name == "c")
        #expect(path.parent == RootedPath("a/b"))
        #expect(RootedPath("a").parent.isRoot)
        #expect(RootedPath("/").isRoot)
        #expect(path.parent.appending("d") == RootedPath("a/b/d"))
    }
}
