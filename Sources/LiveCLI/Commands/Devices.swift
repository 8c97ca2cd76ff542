import ArgumentParser
import Foundation
import Stream

/// `facelive devices`: the V4L2 cameras and virtual-camera outputs on this machine.
struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List V4L2 devices: webcams (with their formats, sizes and frame rates) and virtual-camera outputs.")

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let devices = V4L2DeviceInfo.list()
        if json {
            if devices.isEmpty { return try Terminal.printOutput("[]") }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try Terminal.printOutput(String(decoding: try encoder.encode(devices), as: UTF8.self))
            return
        }
        if devices.isEmpty {
            try Terminal.printOutput("""
                no V4L2 devices (/dev/video*) found.
                For a virtual camera to write to: sudo modprobe v4l2loopback devices=1 video_nr=10 card_label=facelive exclusive_caps=1
                (Debian/Ubuntu package v4l2loopback-dkms), then: facelive run -i /dev/video0 -o v4l2:/dev/video10 …
                """)
            return
        }
        for device in devices { try Terminal.printOutput(Self.describe(device)) }
    }

    static func describe(_ device: V4L2DeviceInfo) -> String {
        guard device.error == nil, let card = device.card else {
            return "\(device.path): \(device.error ?? "unknown error")"
        }
        let roles = [device.capture ? "capture" : nil, device.output ? "output" : nil].compactMap { $0 }
        var lines = ["\(device.path): \(card) (\(device.driver ?? "?"), \(device.bus ?? "?")) — \(roles.isEmpty ? "no video capture or output" : roles.joined(separator: " + "))"]
        for format in device.formats {
            lines.append("    \(format.fourcc.padding(toLength: 4, withPad: " ", startingAt: 0))  \(format.description)\(format.compressed ? " (compressed)" : "")")
            if format.sizeRange, format.sizes.count == 2 {
                lines.append("        \(size(format.sizes[0])) … \(size(format.sizes[1])) (any size in between)")
            } else {
                for s in format.sizes { lines.append("        \(size(s))") }
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func size(_ s: V4L2DeviceInfo.Size) -> String {
        let rates = s.frameRates.map { $0 == $0.rounded() ? String(Int($0)) : String(format: "%.2f", $0) }
        return "\(s.width)x\(s.height)" + (rates.isEmpty ? "" : " @ " + rates.joined(separator: ", ") + " fps")
    }
}
