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

extension ArgumentCursor {
  /// The value of `option` as a byte count: digits with an optional K, M or G suffix (powers of 1024).
  mutating func byteSize(for option: String, inline: String?) throws(CommandError) -> Int {
    let text = try value(for: option, inline: inline)
    let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
    var digits = text.uppercased()
    var multiplier = 1
    if let last = digits.last, let factor = multipliers[last] {
      multiplier = factor
      digits.removeLast()
    }
    guard let number = Int(digits), number > 0 else {
      throw .usage("The value '\(text)' is invalid for '\(option)': expected a size such as 512M or 2G", usage)
    }
    return number * multiplier
  }
}

extension String {
  /// Splits `--name=value` into (`--name`, `value`).
  var optionParts: (name: String, inline: String?) {
    guard hasPrefix("--"), let equals = firstIndex(of: "=") else { return (self, nil) }
    return (String(self[..<equals]), String(self[index(after: equals)...]))
  }
}
