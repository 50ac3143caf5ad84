import Foundation
import LabelKitCore
import LabelKitFormats
import LabelKitImaging
import LabelKitOperations

/// Reading inputs and writing outputs for the commands, turning every library
/// error into a ``CommandFailure`` that names the file.
enum Input {
    /// Reads a whole file (`-` reads stdin).
    static func bytes(_ path: String) throws -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        do {
            return try FileIO.read(path)
        } catch {
            throw CommandFailure(message: error.message)
        }
    }

    /// Reads a PNG as a mask (its luma, one byte per pixel).
    static func mask(_ path: String) throws -> Mask {
        let data = try bytes(path)
        do {
            return try PNGCodec.decodeMask(data)
        } catch {
            throw CommandFailure(message: "\(path): \(error.message)")
        }
    }

    /// Reads a brush RLE document.
    static func brush(_ path: String, width: Int?, height: Int?) throws -> BrushRLEDocument {
        let data = Data(try bytes(path))
        do {
            return try BrushRLEDocument(json: data, width: width, height: height)
        } catch {
            throw CommandFailure(message: "\(path): \(error.message)")
        }
    }

    /// Reads one COCO RLE object.
    static func coco(_ path: String) throws -> COCORLE {
        do {
            return try COCORLEDocument.parse(Data(try bytes(path)))
        } catch let error as FormatsError {
            throw CommandFailure(message: "\(path): \(error.message)")
        }
    }

    /// Reads a JSON array of COCO RLE objects.
    static func cocoList(_ path: String) throws -> [COCORLE] {
        do {
            return try COCORLEDocument.parseList(Data(try bytes(path)))
        } catch let error as FormatsError {
            throw CommandFailure(message: "\(path): \(error.message)")
        }
    }

    /// Reads a regions document (Label Studio results).
    static func regions(_ path: String, config: LabelingConfig? = nil) throws -> RegionsDocument {
        do {
            return try RegionsDocument(json: Data(try bytes(path)), config: config)
        } catch let error as FormatsError {
            throw CommandFailure(message: "\(path): \(error.message)")
        }
    }

    /// Reads hit-test query points.
    static func points(_ path: String) throws -> [Point] {
        do {
            return try PointList.parse(Data(try bytes(path)))
        } catch let error as FormatsError {
            throw CommandFailure(message: "\(path): \(error.message)")
        }
    }

    /// Reads a COCO polygons document.
    static func cocoPolygons(_ path: String) throws -> COCOPolygonsDocument {
        do {
            return try COCOPolygonsDocument(json: Data(try bytes(path)))
        } catch let error as FormatsError {
            throw CommandFailure(message: "\(path): \(error.message)")
        }
    }

    /// Runs a core operation, naming `path` in its error.
    /// Runs a library operation whose errors name what they are about.
    static func formats<T>(_ body: () throws(FormatsError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure(message: error.message)
        }
    }

    /// Runs a core call, its error naming `path`.
    static func core<T>(_ path: String, _ body: () throws(CoreError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure(message: "\(path): \(error.message)")
        }
    }
}

/// Writing results.
enum Output {
    /// Prints a line on stdout.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// An operation's answer: JSON on stdout, PNG bytes to `path` (atomically).
    static func write(_ output: OperationOutput, png path: String?) throws {
        switch output {
        case .json(let text): line(text)
        case .png(let bytes):
            guard let path else { return }
            do {
                try FileIO.writeAtomically(bytes, to: path)
            } catch {
                throw CommandFailure(message: error.message, exitCode: 1)
            }
        }
    }

    /// Writes a mask as an 8-bit gray PNG, atomically.
    static func png(_ mask: Mask, to path: String) throws {
        do {
            try FileIO.writeAtomically(try PNGCodec.encode(mask), to: path)
        } catch {
            throw CommandFailure(message: error.message, exitCode: 1)
        }
    }
}

extension COCOPolygonsDocument {
    /// The unioned RLE, with errors naming `path`.
    func rleOrFailure(_ path: String) throws -> COCORLE {
        do {
            return try rle()
        } catch {
            throw CommandFailure(message: "\(path): \(error.message)")
        }
    }
}
