import Testing
@testable import Imaging

/// `AlphaMask.support(above:)`, which the merge and the hair search ask of every face's mask: scanned from each row's
/// ends inwards, it must still find the exact box of whatever lies above the threshold.
@Suite struct MaskSupportTests {
    @Test func theBoxHoldsExactlyTheValuesAboveTheThreshold() throws {
        var mask = AlphaMask(width: 9, height: 7)
        mask[3, 2] = 0.4
        mask[6, 4] = 0.9
        mask[1, 5] = 0.2  // at or below the threshold below: outside the box
        mask[7, 1] = .nan  // never above anything
        let box = try #require(mask.support(above: 0.2))
        #expect(box == (3, 2, 6, 4))
        let all = try #require(mask.support(above: 0))
        #expect(all == (1, 2, 6, 5))
    }

    @Test func aValueOnTheMasksEdgesIsInside() throws {
        var mask = AlphaMask(width: 5, height: 4)
        mask[0, 3] = 1
        mask[4, 0] = 1
        #expect(try #require(mask.support()) == (0, 0, 4, 3))
        var single = AlphaMask(width: 1, height: 1)
        single[0, 0] = 1
        #expect(try #require(single.support()) == (0, 0, 0, 0))
    }

    @Test func aMaskWithNothingAboveHasNoBox() {
        #expect(AlphaMask(width: 6, height: 3).support() == nil)
        #expect(AlphaMask(width: 6, height: 3, value: 1).support(above: 1) == nil)
    }

    @Test func theMaximumIsTheLargestValueWhereverItLies() {
        // Sixteen values at a time with a tail: the top anywhere, in masks of every sign (unclamped planes).
        for (width, height) in [(1, 1), (5, 3), (16, 1), (37, 5)] {
            for top in 0..<(width * height) {
                var mask = AlphaMask(width: width, height: height,
                                     values: (0..<(width * height)).map { -Float(($0 * 7) % 11) - 0.5 })
                mask.values[top] = -0.25
                #expect(mask.maximum == -0.25, "\(width)×\(height), top at \(top): \(mask.maximum)")
                mask.values[top] = 3
                #expect(mask.maximum == 3)
            }
        }
    }
}
