import CoveCore
import Glibc

/// A terminal put in raw mode (`cfmakeraw`) for `run -it`: keys go to the container as typed,
/// its echo and line editing come from the container's pty. `restore()` puts the saved mode back.
public final class RawTerminal: @unchecked Sendable {
    private let descriptor: Int32
    private var saved: termios

    /// Puts the terminal on `descriptor` in raw mode; nil when it is not a terminal.
    public init?(descriptor: Int32 = STDIN_FILENO) {
        guard isatty(descriptor) == 1 else { return nil }
        var mode = termios()
        guard tcgetattr(descriptor, &mode) == 0 else { return nil }
        self.descriptor = descriptor
        saved = mode
        cfmakeraw(&mode)
        guard tcsetattr(descriptor, TCSANOW, &mode) == 0 else { return nil }
    }

    /// Restores the mode the terminal had.
    public func restore() {
        _ = tcsetattr(descriptor, TCSANOW, &saved)
    }

    /// The terminal's size (rows, columns) on `descriptor`, nil when it is not a terminal.
    public static func size(of descriptor: Int32 = STDOUT_FILENO) -> (rows: Int, columns: Int)? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return nil }
        return (Int(size.ws_row), Int(size.ws_col))
    }
}
