extension JSONValue {
  /// The value as compact JSON text (one line, no spaces), members in order.
  public var jsonText: String {
    var out = ""
    JSONValue.write(self, to: &out)
    return out
  }

  /// Appends the compact JSON text of `value` to `out`.
  static func write(_ value: JSONValue, to out: inout String) {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d):
      if d.isFinite {
        if d.rounded() == d && abs(d) < 1e15 { out += String(Int64(d)) } else { out += String(d) }
      } else {
        out += "null"
      }
    case .string(let s): writeString(s, to: &out)
    case .array(let elements):
      out += "["
      for (i, e) in elements.enumerated() {
        if i > 0 { out += "," }
        write(e, to: &out)
      }
      out += "]"
    case .object(let object):
      out += "{"
      for (i, member) in object.members.enumerated() {
        if i > 0 { out += "," }
        writeString(member.key, to: &out)
        out += ":"
        write(member.value, to: &out)
      }
      out += "}"
    }
  }

  /// Appends `s` as a JSON string literal, escaping what RFC 8259 requires.
  static func writeString(_ s: String, to out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }

  /// A short human-readable form: JSON, except that it is used inside text reports.
  public var displayText: String { jsonText }
}
