import CBFloat16
import Neural

/// A bf16 convolution's im2col patches read in place from the rounded, zero-padded input its forward pass left (one
/// copy per batch slice), for the weight gradient's pixel-pair packing: no fp32 im2col and no second rounding. The
/// values are exactly the rounded patches, so the gradient is bit for bit the one packing those gives.
final class GatheredBFloat16Patches {
    /// Slice 0's rounded input; slice `s`'s is `sliceStride` bf16 values further.
    private let inputs: UnsafePointer<UInt16>
    private let sliceStride: Int
    private let slicePixels: Int
    private let rowOffsets: UnsafeMutablePointer<Int>
    private let columnOffsets: UnsafeMutablePointer<Int32>
    let patchSize: Int

    /// `kernel`: one slice's bf16 gathered conv; `scratch`: where slice `s` ran with scratch `scratch + s · stride`.
    init(kernel: Conv2D, scratch: UnsafePointer<Float>, stride: Int) {
        let rows = kernel.patchRowOffsets, columns = kernel.patchColumnOffsets
        inputs = kernel.bfloat16Input(scratch: scratch)
        sliceStride = 2 * stride
        slicePixels = rows.count
        patchSize = columns.count
        rowOffsets = .allocate(capacity: rows.count)
        rowOffsets.initialize(from: rows, count: rows.count)
        columnOffsets = .allocate(capacity: columns.count)
        for (i, offset) in columns.enumerated() { columnOffsets[i] = Int32(offset) }
    }

    deinit {
        rowOffsets.deallocate()
        columnOffsets.deallocate()
    }

    /// Calls `body` with the window starts of `pixels` (at most `capacity` of them) for ``pack(rows:count:column:width:into:)``.
    func withRows<R>(_ pixels: Range<Int>, _ body: (UnsafePointer<UnsafePointer<UInt16>?>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UnsafePointer<UInt16>?.self, capacity: pixels.count) { rows in
            for (i, p) in pixels.enumerated() {
                let slice = p / slicePixels
                rows[i] = inputs + slice * sliceStride + rowOffsets[p - slice * slicePixels]
            }
            return body(UnsafePointer(rows.baseAddress!))
        }
    }

    /// Patch columns `column..<column + width` (zero past the patch) of `count` pixels, interleaved in pixel pairs
    /// (``facelive_bf16_pack_pixel_pairs``'s layout).
    func pack(rows: UnsafePointer<UnsafePointer<UInt16>?>, count: Int, column: Int, width: Int,
              into dst: UnsafeMutablePointer<UInt16>) {
        facelive_bf16_pack_gathered_pixel_pairs(rows, columnOffsets + column, count, min(width, patchSize - column),
                                                width, dst)
    }
}
