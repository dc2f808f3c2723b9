/// Architecture names as Docker reports them.
public enum Architecture {
    /// Go's name (`GOARCH`) for a kernel machine name (`uname -m`), as `/version`'s `Arch` uses:
    /// "x86_64" → "amd64", "aarch64" → "arm64". A name without a Go counterpart is returned as is.
    public static func goName(forMachine machine: String) -> String {
        switch machine {
        case "x86_64", "amd64": "amd64"
        case "aarch64", "arm64": "arm64"
        case "i386", "i486", "i586", "i686": "386"
        case "armv5l", "armv6l", "armv7l", "armv8l", "arm": "arm"
        case "ppc64le": "ppc64le"
        case "ppc64": "ppc64"
        case "s390x": "s390x"
        case "riscv64": "riscv64"
        case "mips64": "mips64"
        case "loongarch64": "loong64"
        default: machine
        }
    }
}
