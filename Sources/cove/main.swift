import CoveCLI
import Foundation

exit(await CoveMain.run())
