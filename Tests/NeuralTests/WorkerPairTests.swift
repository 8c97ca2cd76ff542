#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import Neural

/// ``WorkerPair``: every part of every loop runs exactly once, with the helper taking parts, through quick
/// back-to-back loops, loops after the helper went to sleep, and nested loops.
@Suite struct WorkerPairTests {
    @Test func everyPartRunsOnceAndTheHelperTakesSome() {
        let pair = WorkerPair(spinMicroseconds: 50)
        let loops = 3000, parts = 5
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: loops * parts)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        let caller = pthread_self()
        let helperParts = Atomic<Int>(0)
        pair.withInstalled {
            for loop in 0..<loops {
                Parallel.forEach(parts) { part in
                    counts[loop * parts + part] += 1
                    if pthread_equal(pthread_self(), caller) == 0 { helperParts.add(1, ordering: .relaxed) }
                    // Some work, so the helper has time to claim.
                    var x = 0.0
                    for i in 0..<200 { x += Double(i) * 1e-9 }
                    if x < 0 { counts[0] = -1 }
                }
                // Now and then a pause longer than the spin: the next loop must wake the sleeping helper.
                if loop % 500 == 499 { usleep(2000) }
            }
        }
        #expect(counts.allSatisfy { $0 == 1 }, "each part exactly once")
        #expect(helperParts.load(ordering: .relaxed) > 0, "the helper ran parts")
    }

    @Test func nestedLoopsAndResultsMatchASerialRun() {
        let pair = WorkerPair()
        let n = 64
        var serial = [Double](repeating: 0, count: n * n)
        var parallel = serial
        func fill(_ out: UnsafeMutableBufferPointer<Double>, concurrent: Bool) {
            let outer = { (i: Int) in
                let inner = { (j: Int) in out[i * n + j] = Double(i * n + j).squareRoot() }
                if concurrent { Parallel.forEach(n, inner) } else { for j in 0..<n { inner(j) } }
            }
            if concurrent { Parallel.forEach(n, outer) } else { for i in 0..<n { outer(i) } }
        }
        serial.withUnsafeMutableBufferPointer { fill($0, concurrent: false) }
        pair.withInstalled { parallel.withUnsafeMutableBufferPointer { fill($0, concurrent: true) } }
        #expect(parallel == serial)
        #expect(WorkerPair.current == nil, "uninstalled after the scope")
    }
}
