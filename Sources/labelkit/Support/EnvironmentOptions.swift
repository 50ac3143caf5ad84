import ArgumentParser

/// Twelve-factor configuration for `labelkit serve`: every option can also come
/// from the environment as `LABELKIT_` plus its name in upper case with
/// underscores (`--max-body-mb 64` or `LABELKIT_MAX_BODY_MB=64`; a flag such
/// as `--strict-confined` from `LABELKIT_STRICT_CONFINED=1`). An option given on
/// the command line wins; empty variables are ignored.
enum EnvironmentOptions {
    /// `arguments` (without the program name) with the options `command` reads
    /// from `environment` appended, when the arguments run `command`.
    static func arguments<Command: ParsableCommand>(
        _ arguments: [String], for command: Command.Type, environment: [String: String]
    ) -> [String] {
        guard let name = arguments.first, name == command._commandName else { return arguments }
        var result = arguments
        for option in options(of: command) {
            let flag = "--" + option.name
            guard !arguments.contains(where: { $0 == flag || $0.hasPrefix(flag + "=") }),
                let value = environment[variable(option.name)], !value.isEmpty
            else { continue }
            if option.isFlag {
                if ["1", "true", "yes", "on"].contains(value.lowercased()) { result.append(flag) }
            } else {
                result += [flag, value]
            }
        }
        return result
    }

    /// The environment variable of an option: `max-body-mb` -> `LABELKIT_MAX_BODY_MB`.
    static func variable(_ option: String) -> String {
        "LABELKIT_" + option.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The long names of `command`'s options and flags, read from its properties
    /// (ArgumentParser names them by converting camelCase to kebab-case).
    static func options<Command: ParsableCommand>(of command: Command.Type) -> [(name: String, isFlag: Bool)] {
        Mirror(reflecting: Command()).children.compactMap { child in
            guard let label = child.label?.dropFirst(), !label.isEmpty else { return nil }
            let kind = String(describing: type(of: child.value))
            guard kind.hasPrefix("Option<") || kind.hasPrefix("Flag<") else { return nil }
            var name = ""
            for character in label {
                if character.isUppercase {
                    name += "-" + character.lowercased()
                } else {
                    name.append(character)
                }
            }
            return (name, kind.hasPrefix("Flag<"))
        }
    }
}
