import Swap

/// Errors of model files, facesets and training, each with a one-line message.
public enum TrainError: Error, Equatable, CustomStringConvertible {
    case unreadableFile(path: String, reason: String)
    /// A model (or training state) file that cannot be read or used.
    case model(SwapModelError)
    case invalidConfiguration(String)
    case malformedFaceset(path: String, reason: String)
    case emptyFaceset(path: String)
    case resumeMismatch(String)
    case outputExists(path: String)
    /// Writing failed (a full disk, permissions).
    case writeFailed(path: String, reason: String)
    /// An existing faceset folder cannot take this extraction.
    case facesetConflict(path: String, reason: String)
    /// Training produced non-finite losses: nothing is saved over the last good checkpoint.
    case diverged(iteration: Int)
    /// `--from` names a model whose parts cannot be reused for this one.
    case incompatibleModel(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .model(let error): error.description
        case .invalidConfiguration(let reason): "invalid model configuration: \(reason)"
        case .malformedFaceset(let path, let reason): "faceset \(path) is malformed: \(reason)"
        case .emptyFaceset(let path): "faceset \(path) has no faces"
        case .resumeMismatch(let reason): "cannot resume: \(reason)"
        case .outputExists(let path): "\(path) exists; pass --resume to continue training it, or choose another output"
        case .writeFailed(let path, let reason): "cannot write \(path): \(reason)"
        case .facesetConflict(let path, let reason): "cannot extract into \(path): \(reason)"
        case .incompatibleModel(let path, let reason): "cannot start from \(path): \(reason)"
        case .diverged(let iteration):
            "training diverged at iteration \(iteration) (the loss is NaN or infinite); nothing was saved over the last checkpoint: lower --learning-rate"
        }
    }
}
