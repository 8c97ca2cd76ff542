import Imaging

extension Array {
    /// The elements without those whose box overlaps an older one's (smaller `id`) by more than `iou`: two tracks
    /// that converged on one face or hand, where the older keeps it.
    func removingOverlaps(iou limit: Float, id: (Element) -> Int, box: (Element) -> BoundingBox) -> [Element] {
        var keep = [Bool](repeating: true, count: count)
        for i in indices where keep[i] {
            for j in indices where j != i && keep[j] && id(self[j]) > id(self[i]) {
                if box(self[i]).iou(box(self[j])) > limit { keep[j] = false }
            }
        }
        return indices.filter { keep[$0] }.map { self[$0] }
    }
}
