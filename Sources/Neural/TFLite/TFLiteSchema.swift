/// Element types of TFLite tensors (schema enum `TensorType`), the ones this runtime names.
public enum TFLiteTensorType: Int, Sendable {
    case float32 = 0, float16 = 1, int32 = 2, uint8 = 3, int64 = 4, string = 5, bool = 6, int16 = 7
    case complex64 = 8, int8 = 9, float64 = 10

    var name: String { "\(self)".uppercased() }
    var byteSize: Int? {
        switch self {
        case .float32, .int32: 4
        case .float16, .int16: 2
        case .uint8, .int8, .bool: 1
        case .int64, .float64, .complex64: 8
        case .string: nil
        }
    }
}

/// A TFLite builtin operator code (schema enum `BuiltinOperator`).
public struct TFLiteOperator: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    static let add = TFLiteOperator(rawValue: 0)
    static let averagePool2D = TFLiteOperator(rawValue: 1)
    static let concatenation = TFLiteOperator(rawValue: 2)
    static let conv2D = TFLiteOperator(rawValue: 3)
    static let depthwiseConv2D = TFLiteOperator(rawValue: 4)
    static let depthToSpace = TFLiteOperator(rawValue: 5)
    static let dequantize = TFLiteOperator(rawValue: 6)
    static let fullyConnected = TFLiteOperator(rawValue: 9)
    static let logistic = TFLiteOperator(rawValue: 14)
    static let maxPool2D = TFLiteOperator(rawValue: 17)
    static let mul = TFLiteOperator(rawValue: 18)
    static let relu = TFLiteOperator(rawValue: 19)
    static let reluN1To1 = TFLiteOperator(rawValue: 20)
    static let relu6 = TFLiteOperator(rawValue: 21)
    static let reshape = TFLiteOperator(rawValue: 22)
    static let resizeBilinear = TFLiteOperator(rawValue: 23)
    static let tanh = TFLiteOperator(rawValue: 28)
    static let custom = TFLiteOperator(rawValue: 32)
    static let pad = TFLiteOperator(rawValue: 34)
    static let transpose = TFLiteOperator(rawValue: 39)
    static let mean = TFLiteOperator(rawValue: 40)
    static let prelu = TFLiteOperator(rawValue: 54)
    static let resizeNearestNeighbor = TFLiteOperator(rawValue: 97)
    static let leakyRelu = TFLiteOperator(rawValue: 98)

    private static let names: [Int: String] = [
        0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D", 5: "DEPTH_TO_SPACE",
        6: "DEQUANTIZE", 8: "FLOOR", 9: "FULLY_CONNECTED", 14: "LOGISTIC", 16: "LSTM", 17: "MAX_POOL_2D", 18: "MUL",
        19: "RELU", 20: "RELU_N1_TO_1", 21: "RELU6", 22: "RESHAPE", 23: "RESIZE_BILINEAR", 25: "SOFTMAX", 28: "TANH",
        32: "CUSTOM", 34: "PAD", 39: "TRANSPOSE", 40: "MEAN", 41: "SUB", 42: "DIV", 45: "STRIDED_SLICE", 53: "CAST",
        54: "PRELU", 60: "PADV2", 67: "TRANSPOSE_CONV", 97: "RESIZE_NEAREST_NEIGHBOR", 98: "LEAKY_RELU",
        114: "QUANTIZE", 117: "HARD_SWISH", 124: "DENSIFY",
    ]

    public var description: String { Self.names[rawValue] ?? "BUILTIN_\(rawValue)" }
}

/// Fused activation of conv/pool/add options (schema enum `ActivationFunctionType`).
func fusedActivation(_ code: Int8, op: String, index: Int) throws(TFLiteError) -> Activation {
    switch code {
    case 0: return .none
    case 1: return .relu
    case 2: return .reluN1To1
    case 3: return .relu6
    case 4: return .tanh
    default: throw .unsupportedUsage(op: op, index: index, detail: "fused activation #\(code)")
    }
}
