import CoveCLI
import Foundation

exit(CoveMain.run())
