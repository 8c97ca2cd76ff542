import Dispatch
import Glibc

/// Turns SIGINT, SIGTERM and SIGHUP (a closed terminal) into a graceful stop: the first signal asks the job to
/// finish (the output is closed and stays playable); a second one only says that the output is being finished
/// — an impatient double Ctrl-C must not leave an unplayable file — and a third exits at once.
/// SIGPIPE is ignored so a closed stdout is an error, not a death.
final class SignalTrap {
    /// The signals that stop a job.
    static let stopSignals = [SIGINT, SIGTERM, SIGHUP]
    private var sources: [DispatchSourceSignal] = []

    /// `onStop` runs once, on a private queue, with the first signal's number.
    init(onStop: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        let queue = DispatchQueue(label: "facelive.signals")
        var received = 0  // only touched on `queue`
        for number in Self.stopSignals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                received += 1
                switch received {
                case 1: onStop(number)
                case 2: Terminal.printError("finishing the output so it plays; signal again to quit at once (the output will be incomplete)")
                default: exit(128 + number)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
        Self.stopSignals.forEach { signal($0, SIG_DFL) }
    }
}
