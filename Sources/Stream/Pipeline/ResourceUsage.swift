import Glibc

/// CPU time and peak memory of this process (getrusage).
public struct ResourceUsage: Sendable {
    /// User plus system CPU time so far.
    public var cpuSeconds: Double
    /// Peak resident memory so far, in MiB.
    public var peakRSSMB: Double

    public static func now() -> ResourceUsage {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return ResourceUsage(cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
                             peakRSSMB: Double(usage.ru_maxrss) / 1024)
    }
}
