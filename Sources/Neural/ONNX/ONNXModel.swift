import Foundation

/// ONNX tensor element types (`TensorProto.DataType`).
public enum ONNXDataType: Int, Sendable, CustomStringConvertible {
    case float = 1, uint8, int8, uint16, int16, int32, int64, string, bool, float16, double, uint32, uint64
    case complex64, complex128, bfloat16

    public var description: String {
        switch self {
        case .float: "FLOAT"
        case .uint8: "UINT8"
        case .int8: "INT8"
        case .uint16: "UINT16"
        case .int16: "INT16"
        case .int32: "INT32"
        case .int64: "INT64"
        case .string: "STRING"
        case .bool: "BOOL"
        case .float16: "FLOAT16"
        case .double: "DOUBLE"
        case .uint32: "UINT32"
        case .uint64: "UINT64"
        case .complex64: "COMPLEX64"
        case .complex128: "COMPLEX128"
        case .bfloat16: "BFLOAT16"
        }
    }
}

/// An ONNX model as stored: the graph's nodes, attributes, initializers and declared inputs and outputs.
///
/// Parsing checks the wire format only; ``makeGraph(constantInputs:)`` checks the graph and compiles it.
public struct ONNXModel: Sendable {
    /// A tensor stored in the file (initializer or attribute); large payloads stay in the file's bytes.
    public struct TensorData: Sendable {
        public enum Storage: Sendable {
            /// `raw_data`: little-endian elements at this byte range of ``ONNXModel/bytes``.
            case raw(Range<Int>)
            case floats([Float])
            /// `int32_data`, which also carries int8/int16/uint8/uint16/bool and the bits of float16.
            case int32s([Int64])
            case int64s([Int64])
            case doubles([Double])
            /// `data_location = EXTERNAL`.
            case external
        }

        public var name: String
        public var dims: [Int]
        public var dataType: Int
        public var storage: Storage
    }

    public struct Attribute: Sendable {
        public var name: String
        public var type: Int
        public var float: Float?
        public var int: Int64?
        public var string: String?
        public var tensor: TensorData?
        public var floats: [Float] = []
        public var ints: [Int64] = []
        /// A subgraph (If/Loop bodies) is present: those operators are not supported.
        public var hasGraph = false
    }

    public struct Node: Sendable {
        public var name: String
        public var opType: String
        public var domain: String
        public var inputs: [String]
        public var outputs: [String]
        public var attributes: [Attribute]

        public func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }
    }

    /// A declared graph input, output or intermediate value: element type and dims (nil = symbolic/unknown).
    public struct ValueInfo: Sendable {
        public var name: String
        public var elementType: Int
        public var dims: [Int?]?
    }

    /// The whole file; ``TensorData/Storage/raw(_:)`` ranges point into it.
    public let bytes: [UInt8]
    public var irVersion: Int64 = 0
    /// Operator-set version per domain ("" = the default ONNX domain).
    public var opsets: [String: Int] = [:]
    public var producer = ""
    public var graphName = ""
    public var nodes: [Node] = []
    public var initializers: [TensorData] = []
    public var inputs: [ValueInfo] = []
    public var outputs: [ValueInfo] = []
    public var valueInfos: [ValueInfo] = []

    /// The default-domain opset the graph was written for.
    public var opset: Int { opsets[""] ?? opsets["ai.onnx"] ?? 1 }

    public init(contentsOf url: URL) throws(ONNXError) {
        try self.init(bytes: ModelFileReader.bytes(of: url) { ONNXError.unreadable(path: url.path, reason: $0) })
    }

    public init(bytes: [UInt8]) throws(ONNXError) {
        self.bytes = bytes
        guard !bytes.isEmpty else { throw .notONNX("the file is empty") }
        var reader = ProtobufReader(bytes: bytes, context: "model")
        var sawGraph = false
        do {
            while let (field, wire) = try reader.nextField() {
                switch (field, wire) {
                case (1, .varint): irVersion = try reader.int64()
                case (2, .lengthDelimited): producer = try reader.string()
                case (7, .lengthDelimited):
                    var graph = try reader.message("graph")
                    try parseGraph(&graph)
                    sawGraph = true
                case (8, .lengthDelimited):
                    var opset = try reader.message("opset_import")
                    var domain = "", version: Int64 = 0
                    while let (f, w) = try opset.nextField() {
                        switch (f, w) {
                        case (1, .lengthDelimited): domain = try opset.string()
                        case (2, .varint): version = try opset.int64()
                        default: try opset.skip(w)
                        }
                    }
                    opsets[domain] = Int(clamping: version)
                default: try reader.skip(wire)
                }
            }
        } catch {
            // A file that fails in its first bytes is not protobuf at all: say so rather than "malformed".
            if !sawGraph && reader.position < 16 { throw .notONNX("not a protobuf ModelProto (\(error))") }
            throw error
        }
        guard sawGraph else { throw .notONNX("no graph in the file") }
        guard irVersion >= 3 && irVersion < 100 else { throw .notONNX("IR version \(irVersion)") }
    }

    private mutating func parseGraph(_ reader: inout ProtobufReader) throws(ONNXError) {
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited):
                var node = try reader.message("node[\(nodes.count)]")
                nodes.append(try Self.parseNode(&node))
            case (2, .lengthDelimited): graphName = try reader.string()
            case (5, .lengthDelimited):
                var tensor = try reader.message("initializer[\(initializers.count)]")
                initializers.append(try Self.parseTensor(&tensor))
            case (11, .lengthDelimited): inputs.append(try Self.parseValueInfo(&reader, "input[\(inputs.count)]"))
            case (12, .lengthDelimited): outputs.append(try Self.parseValueInfo(&reader, "output[\(outputs.count)]"))
            case (13, .lengthDelimited): valueInfos.append(try Self.parseValueInfo(&reader, "value_info[\(valueInfos.count)]"))
            case (15, .lengthDelimited):
                throw .unsupportedUsage(op: "graph", node: graphName, detail: "sparse initializers")
            default: try reader.skip(wire)
            }
        }
    }

    private static func parseNode(_ reader: inout ProtobufReader) throws(ONNXError) -> Node {
        var node = Node(name: "", opType: "", domain: "", inputs: [], outputs: [], attributes: [])
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): node.inputs.append(try reader.string())
            case (2, .lengthDelimited): node.outputs.append(try reader.string())
            case (3, .lengthDelimited): node.name = try reader.string()
            case (4, .lengthDelimited): node.opType = try reader.string()
            case (7, .lengthDelimited): node.domain = try reader.string()
            case (5, .lengthDelimited):
                var attribute = try reader.message("attribute")
                node.attributes.append(try parseAttribute(&attribute))
            default: try reader.skip(wire)
            }
        }
        guard !node.opType.isEmpty else { throw .malformed(context: "\(reader.context): node without op_type") }
        if node.name.isEmpty { node.name = node.outputs.first ?? node.opType }
        return node
    }

    private static func parseAttribute(_ reader: inout ProtobufReader) throws(ONNXError) -> Attribute {
        var a = Attribute(name: "", type: 0)
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): a.name = try reader.string()
            case (20, .varint): a.type = Int(truncatingIfNeeded: try reader.int64())
            case (2, .fixed32): a.float = Float(bitPattern: try reader.fixed32())
            case (3, .varint): a.int = try reader.int64()
            case (4, .lengthDelimited): a.string = try reader.string()
            case (5, .lengthDelimited):
                var tensor = try reader.message("t")
                a.tensor = try parseTensor(&tensor)
            case (6, .lengthDelimited), (11, .lengthDelimited):
                a.hasGraph = true
                try reader.skip(wire)
            case (7, _): try reader.appendFloats(wire, to: &a.floats)
            case (8, _): try reader.appendInt64s(wire, to: &a.ints)
            default: try reader.skip(wire)
            }
        }
        return a
    }

    static func parseTensor(_ reader: inout ProtobufReader) throws(ONNXError) -> TensorData {
        var name = "", dims: [Int64] = [], type = 0
        var raw: Range<Int>?, floats: [Float] = [], int32s: [Int64] = [], int64s: [Int64] = [], doubles: [Double] = []
        var external = false
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, _): try reader.appendInt64s(wire, to: &dims)
            case (2, .varint): type = Int(truncatingIfNeeded: try reader.int64())
            case (4, _): try reader.appendFloats(wire, to: &floats)
            case (5, _): try reader.appendInt64s(wire, to: &int32s)
            case (7, _): try reader.appendInt64s(wire, to: &int64s)
            case (8, .lengthDelimited): name = try reader.string()
            case (9, .lengthDelimited): raw = try reader.lengthDelimited()
            case (10, _): try reader.appendDoubles(wire, to: &doubles)
            case (13, .lengthDelimited): external = true; try reader.skip(wire)
            case (14, .varint): if try reader.int64() == 1 { external = true }
            default: try reader.skip(wire)
            }
        }
        guard dims.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }), dims.count <= 8 else {
            throw .badShape(value: name, detail: "stored tensor has dims \(dims)")
        }
        let storage: TensorData.Storage =
            if external { .external }
            else if let raw { .raw(raw) }
            else if !floats.isEmpty { .floats(floats) }
            else if !int64s.isEmpty { .int64s(int64s) }
            else if !doubles.isEmpty { .doubles(doubles) }
            else { .int32s(int32s) }
        return TensorData(name: name, dims: dims.map { Int($0) }, dataType: type, storage: storage)
    }

    /// The ValueInfoProto that `graph` reads next, called `name` in messages.
    private static func parseValueInfo(_ graph: inout ProtobufReader, _ name: String) throws(ONNXError) -> ValueInfo {
        var info = try graph.message(name)
        return try parseValueInfo(&info)
    }

    private static func parseValueInfo(_ reader: inout ProtobufReader) throws(ONNXError) -> ValueInfo {
        var info = ValueInfo(name: "", elementType: 0, dims: nil)
        while let (field, wire) = try reader.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): info.name = try reader.string()
            case (2, .lengthDelimited):
                var type = try reader.message("type")
                while let (f, w) = try type.nextField() {
                    guard f == 1, w == .lengthDelimited else { try type.skip(w); continue }
                    var tensorType = try type.message("tensor_type")
                    while let (tf, tw) = try tensorType.nextField() {
                        switch (tf, tw) {
                        case (1, .varint): info.elementType = Int(truncatingIfNeeded: try tensorType.int64())
                        case (2, .lengthDelimited):
                            var shape = try tensorType.message("shape")
                            var dims: [Int?] = []
                            while let (sf, sw) = try shape.nextField() {
                                guard sf == 1, sw == .lengthDelimited else { try shape.skip(sw); continue }
                                var dim = try shape.message("dim")
                                var value: Int?
                                while let (df, dw) = try dim.nextField() {
                                    if df == 1, dw == .varint {
                                        let v = try dim.int64()
                                        value = v > 0 && v <= Int64(Int32.max) ? Int(v) : nil
                                    } else { try dim.skip(dw) }
                                }
                                dims.append(value)
                            }
                            info.dims = dims
                        default: try tensorType.skip(tw)
                        }
                    }
                }
            default: try reader.skip(wire)
            }
        }
        return info
    }
}
