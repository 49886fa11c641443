/// Walks a subcommand's arguments: options with values, flags and positionals.
struct ArgumentCursor {
  private var remaining: [String]
  let usage: String

  init(_ arguments: [String], usage: String) {
    remaining = arguments
    self.usage = usage
  }

  /// The next argument, or nil at the end.
  mutating func next() -> String? {
    remaining.isEmpty ? nil : remaining.removeFirst()
  }

  /// The value of `option`: the next argument, or the part after `=` in `--option=value`.
  mutating func value(for option: String, inline: String?) throws(CommandError) -> String {
    if let inline { return inline }
    guard let value = next(), !value.hasPrefix("--") || value == "--" else {
      throw .usage("Missing value for '\(option)'", usage)
    }
    return value
  }

  /// The value of `option` as a positive integer.
  mutating func positiveInteger(for option: String, inline: String?) throws(CommandError) -> Int {
    let text = try value(for: option, inline: inline)
    guard let number = Int(text.filter { $0 != "_" }), number > 0 else {
      throw .usage("The value '\(text)' is invalid for '\(option)': expected a positive integer", usage)
    }
    return number
  }
}

extension String {
  /// Splits `--name=value` into (`--name`, `value`).
  var optionParts: (name: String, inline: String?) {
    guard hasPrefix("--"), let equals = firstIndex(of: "=") else { return (self, nil) }
    return (String(self[..<equals]), String(self[index(after: equals)...]))
  }
}
