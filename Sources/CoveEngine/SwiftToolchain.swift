/// The Swift compiler this engine was built with, as `/version` reports it in `GoVersion`
/// (Docker's field for its own toolchain).
enum SwiftToolchain {
    static var version: String {
        #if compiler(>=6.6)
            "swift>=6.6"
        #elseif compiler(>=6.5)
            "swift6.5"
        #elseif compiler(>=6.4)
            "swift6.4"
        #elseif compiler(>=6.3)
            "swift6.3"
        #elseif compiler(>=6.2)
            "swift6.2"
        #elseif compiler(>=6.1)
            "swift6.1"
        #else
            "swift6.0"
        #endif
    }
}
