import Foundation

/// A parsed `.tflite` file: the tensors, constant buffers and operators of its first subgraph.
///
/// Parsing validates the FlatBuffers structure; ``makeGraph()`` then checks the operators and compiles them.
public struct TFLiteModel: Sendable {
    public struct Tensor: Sendable {
        public var name: String
        public var shape: [Int]
        /// Schema `TensorType` code (see ``TFLiteTensorType``).
        public var type: Int
        /// Index into the model's buffers (0 = no data).
        public var buffer: Int
    }

    public struct Operator: Sendable {
        public var code: TFLiteOperator
        /// Tensor indices; -1 marks an omitted optional input.
        public var inputs: [Int]
        public var outputs: [Int]
        /// The builtin options table, read per operator by the importer.
        var options: FlatTable?
    }

    public var tensors: [Tensor]
    public var operators: [Operator]
    public var inputs: [Int]
    public var outputs: [Int]
    /// Byte range of each buffer's data in ``bytes`` (empty for buffers without data).
    var buffers: [Range<Int>]
    let reader: FlatBufferReader

    /// Loads and parses the file at `url`.
    public init(contentsOf url: URL) throws(TFLiteError) {
        try self.init(bytes: ModelFileReader.bytes(of: url) { TFLiteError.unreadable(path: url.path, reason: $0) })
    }

    /// Parses a model held in memory.
    public init(bytes: [UInt8]) throws(TFLiteError) {
        let reader = FlatBufferReader(bytes)
        guard bytes.count >= 8, bytes[4 ..< 8].elementsEqual("TFL3".utf8) else { throw .notTFLite }
        self.reader = reader
        let model = try reader.root()

        // Model: 1 operator_codes, 2 subgraphs, 4 buffers.
        var codes: [TFLiteOperator] = []
        if let v = try model.vector(1, "operator_codes", elementSize: 4) {
            for i in 0..<v.count {
                let t = try v.table(at: i)
                // OperatorCode: 0 deprecated_builtin_code (int8), 3 builtin_code (int32); the larger one is real.
                let old = Int(try t.scalar(0, default: Int8(0)))
                let new = Int(try t.scalar(3, default: Int32(0)))
                codes.append(TFLiteOperator(rawValue: max(old, new)))
            }
        }

        buffers = []
        if let v = try model.vector(4, "buffers", elementSize: 4) {
            for i in 0..<v.count {
                let t = try v.table(at: i)
                // Buffer: 0 data [ubyte]; or 1 offset / 2 size (uint64, from the file start) for large models.
                if let data = try t.vector(0, "data", elementSize: 1) {
                    buffers.append(data.byteRange)
                } else {
                    let offset = try t.scalar(1, default: UInt64(0)), size = try t.scalar(2, default: UInt64(0))
                    guard offset <= UInt64(bytes.count), size <= UInt64(bytes.count) - offset else {
                        throw .malformed(context: "buffer \(i): external data \(offset)+\(size) outside the file")
                    }
                    buffers.append(offset > 0 ? Int(offset) ..< Int(offset + size) : 0 ..< 0)
                }
            }
        }

        guard let subgraphs = try model.vector(2, "subgraphs", elementSize: 4), subgraphs.count >= 1 else {
            throw .malformed(context: "no subgraph")
        }
        let graph = try subgraphs.table(at: 0)
        // SubGraph: 0 tensors, 1 inputs, 2 outputs, 3 operators.
        tensors = []
        if let v = try graph.vector(0, "tensors", elementSize: 4) {
            for i in 0..<v.count {
                let t = try v.table(at: i)
                // Tensor: 0 shape, 1 type (int8), 2 buffer (uint32), 3 name.
                tensors.append(Tensor(
                    name: try t.string(3) ?? "tensor\(i)",
                    shape: try t.int32s(0, "shape"),
                    type: Int(try t.scalar(1, default: Int8(0))),
                    buffer: Int(try t.scalar(2, default: UInt32(0)))))
            }
        }
        inputs = try graph.int32s(1, "inputs")
        outputs = try graph.int32s(2, "outputs")
        operators = []
        if let v = try graph.vector(3, "operators", elementSize: 4) {
            for i in 0..<v.count {
                let t = try v.table(at: i)
                // Operator: 0 opcode_index, 1 inputs, 2 outputs, 4 builtin_options.
                let index = Int(try t.scalar(0, default: UInt32(0)))
                guard index < codes.count else { throw .malformed(context: "operator \(i): opcode index \(index) of \(codes.count)") }
                operators.append(Operator(
                    code: codes[index], inputs: try t.int32s(1, "inputs"), outputs: try t.int32s(2, "outputs"),
                    options: try t.table(4, "builtin_options")))
            }
        }

        for t in inputs + outputs + operators.flatMap({ $0.inputs + $0.outputs }) where t != -1 {
            guard t >= 0 && t < tensors.count else { throw .malformed(context: "tensor index \(t) of \(tensors.count)") }
        }
        for (i, t) in tensors.enumerated() where t.buffer >= buffers.count && !(buffers.isEmpty && t.buffer == 0) {
            throw .malformed(context: "tensor \(i) '\(t.name)': buffer \(t.buffer) of \(buffers.count)")
        }
    }

    /// The raw bytes of tensor `index`'s constant data (empty when it has none).
    func data(of index: Int) -> ArraySlice<UInt8> {
        let b = tensors[index].buffer
        guard b < buffers.count else { return [] }
        return reader.bytes[buffers[b]]
    }
}
