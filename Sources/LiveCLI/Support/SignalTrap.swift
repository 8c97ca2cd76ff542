import Dispatch
import Glibc

/// Turns SIGINT/SIGTERM into a graceful stop: the first signal asks the job to finish (the output is closed
/// and stays playable), a second one exits at once. SIGPIPE is ignored so a closed stdout is an error, not a death.
final class SignalTrap {
    private var sources: [DispatchSourceSignal] = []

    init(onStop: @escaping @Sendable () -> Void) {
        signal(SIGPIPE, SIG_IGN)
        let queue = DispatchQueue(label: "facelive.signals")
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            var seen = false
            source.setEventHandler {
                if seen { exit(128 + number) }
                seen = true
                onStop()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
