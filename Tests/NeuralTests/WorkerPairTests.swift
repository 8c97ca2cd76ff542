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
        let parts = 5
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: parts)
        defer { counts.deallocate() }
        let caller = pthread_self()
        let helperParts = Atomic<Int>(0)
        var loops = 0, wrong = 0
        // At least 3000 loops; more (up to 10 s) while the helper has taken none: on a loaded machine it may not be
        // scheduled for a while, which is no fault of the pair's.
        let deadline = ContinuousClock.now + .seconds(10)
        pair.withInstalled {
            while loops < 3000 || (helperParts.load(ordering: .relaxed) == 0 && ContinuousClock.now < deadline) {
                counts.initialize(repeating: 0)
                Parallel.forEach(parts) { part in
                    counts[part] += 1
                    if pthread_equal(pthread_self(), caller) == 0 { helperParts.add(1, ordering: .relaxed) }
                    // Some work, so the helper has time to claim.
                    var x = 0.0
                    for i in 0..<200 { x += Double(i) * 1e-9 }
                    if x < 0 { counts[0] = -1 }
                }
                if !counts.allSatisfy({ $0 == 1 }) { wrong += 1 }
                // Now and then a pause longer than the spin: the next loop must wake the sleeping helper.
                if loops % 500 == 499 { usleep(2000) }
                loops += 1
            }
        }
        #expect(wrong == 0, "each part exactly once (\(wrong) of \(loops) loops wrong)")
        #expect(helperParts.load(ordering: .relaxed) > 0, "the helper ran parts (\(loops) loops)")
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
