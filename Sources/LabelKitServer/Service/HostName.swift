/// Checks the host part of a URL the service builds from request headers
/// (`Host`, `X-Forwarded-Host`): a DNS name, an IPv4 address or a bracketed
/// IPv6 address, with an optional port.
enum HostName {
    /// True for `name[:port]` where name is letters, digits, `-` and `.` in
    /// labels of 1...63 characters (at most 253 in all), or `[v6]`, and port is
    /// 1...65535.
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 300 else { return false }
        var host = bytes[...]
        var port: ArraySlice<UInt8> = []
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let inside = bytes[1..<close]
            guard !inside.isEmpty, inside.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return false }
            let rest = bytes[(close + 1)...]
            if !rest.isEmpty {
                guard rest.first == UInt8(ascii: ":") else { return false }
                port = rest.dropFirst()
                guard isPort(port) else { return false }
            }
            return true
        }
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) {
            host = bytes[..<colon]
            port = bytes[(colon + 1)...]
            guard isPort(port) else { return false }
        }
        guard !host.isEmpty, host.count <= 253 else { return false }
        for label in host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard (1...63).contains(label.count), label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                label.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }

    private static func isPort(_ digits: ArraySlice<UInt8>) -> Bool {
        guard (1...5).contains(digits.count), digits.allSatisfy({ (48...57).contains($0) }) else { return false }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        return (1...65535).contains(value)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }
}
