/// A strict RFC 8259 JSON parser over raw bytes, for reading logs one line at a time.
///
/// The parser is a byte-level recursive descent that builds ``JSONValue``s directly. It accepts
/// exactly the grammar of RFC 8259: whitespace is space, tab, carriage return and line feed; the
/// literals are `true`, `false` and `null`; numbers have no leading zeros, no `+`, no bare `.`
/// and no `NaN` or `Infinity`; strings hold valid UTF-8 without raw control characters and any
/// escape, with `\uXXXX` surrogate pairs (a lone surrogate is an error). Nothing but whitespace
/// may follow the value.
///
/// An integer without a fraction or exponent that fits an `Int` becomes ``JSONValue/int(_:)``;
/// every other number becomes ``JSONValue/double(_:)`` (out-of-range magnitudes become
/// infinity or zero). Objects keep the order of their members; a duplicate key keeps its
/// first position and takes the last value.
public enum JSONParser {
  /// Parses one JSON value that fills `bytes`, up to whitespace around it.
  ///
  /// - Parameters:
  ///   - bytes: UTF-8 text holding exactly one JSON value.
  ///   - maxDepth: the most arrays and objects that may nest inside one another; deeper input
  ///     is an error rather than a stack overflow.
  /// - Returns: the value.
  /// - Throws: ``JSONSyntaxError`` with the offset of the first byte that breaks the grammar.
  public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue {
    guard let base = bytes.baseAddress, !bytes.isEmpty else {
      throw JSONSyntaxError(offset: 0, expected: "a value")
    }
    var parser = ByteParser(
      base: base.assumingMemoryBound(to: UInt8.self), end: bytes.count, maxDepth: maxDepth)
    return try parser.parseDocument()
  }

  /// Parses one JSON value that fills the UTF-8 of `text`.
  ///
  /// A convenience over the byte-buffer `parse` for tests and small inputs.
  public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue {
    var text = text
    let result: Result<JSONValue, JSONSyntaxError> = text.withUTF8 { utf8 in
      do throws(JSONSyntaxError) {
        return .success(try parse(UnsafeRawBufferPointer(utf8), maxDepth: maxDepth))
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }
}

/// Where and why a JSON text breaks the grammar.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The 0-based byte offset in the input of the first byte that does not fit (the input's
  /// length when it ends too early).
  public var offset: Int
  /// What was expected there, as a phrase such as `a value` or `',' or '}'`.
  public var expected: String

  /// Creates an error at `offset` that expected `expected`.
  public init(offset: Int, expected: String) {
    self.offset = offset
    self.expected = expected
  }

  /// The error as `offset N: expected X`.
  public var description: String { "offset \(offset): expected \(expected)" }
}

// MARK: - The parser

private let quote: UInt8 = 0x22  // "
private let backslash: UInt8 = 0x5C  // \
private let comma: UInt8 = 0x2C
private let colon: UInt8 = 0x3A
private let openBrace: UInt8 = 0x7B
private let closeBrace: UInt8 = 0x7D
private let openBracket: UInt8 = 0x5B
private let closeBracket: UInt8 = 0x5D
private let minus: UInt8 = 0x2D
private let zero: UInt8 = 0x30

/// Exact powers of ten that a `Double` holds, for the fast path of decimal conversion.
private let exactPowersOfTen: [Double] = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

@inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }

@inline(__always) private func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

/// The state of one parse: the input, the position, the nesting depth and a reusable buffer
/// for strings with escapes.
private struct ByteParser {
  let base: UnsafePointer<UInt8>
  let end: Int
  let maxDepth: Int
  var pos = 0
  var depth = 0
  /// Decoded bytes of the string being unescaped; kept between strings to reuse its storage.
  var scratch: [UInt8] = []

  init(base: UnsafePointer<UInt8>, end: Int, maxDepth: Int) {
    self.base = base
    self.end = end
    self.maxDepth = maxDepth
  }

  @inline(__always) func fail(_ expected: String, at offset: Int) -> JSONSyntaxError {
    JSONSyntaxError(offset: offset, expected: expected)
  }

  @inline(__always) func fail(_ expected: String) -> JSONSyntaxError {
    JSONSyntaxError(offset: pos, expected: expected)
  }

  @inline(__always) mutating func skipWhitespace() {
    while pos < end {
      let byte = base[pos]
      // Space, tab, line feed, carriage return; everything else ends the run.
      guard byte <= 0x20, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
      pos += 1
    }
  }

  mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
    skipWhitespace()
    let value = try parseValue()
    skipWhitespace()
    guard pos == end else { throw fail("end of line") }
    return value
  }

  /// Parses the value at `pos`, which is past any whitespace before it.
  mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
    guard pos < end else { throw fail("a value") }
    switch base[pos] {
    case quote: return .string(try parseString())
    case openBrace: return try parseObject()
    case openBracket: return try parseArray()
    case UInt8(ascii: "t"):
      try literal("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try literal("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    case minus, zero...UInt8(ascii: "9"): return try parseNumber()
    default: throw fail("a value")
    }
  }

  @inline(__always) func startsValue(_ byte: UInt8) -> Bool {
    switch byte {
    case quote, openBrace, openBracket, UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), minus,
      zero...UInt8(ascii: "9"):
      return true
    default: return false
    }
  }

  mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
    let count = word.utf8CodeUnitCount
    let expected = word.utf8Start
    guard end - pos >= count else { throw fail("'\(word)'") }
    for index in 1..<count where base[pos + index] != expected[index] {
      throw fail("'\(word)'")
    }
    pos += count
  }

  mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    guard depth <= maxDepth else { throw fail("nesting at most \(maxDepth) deep") }
  }

  mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    pos += 1  // {
    skipWhitespace()
    var members: [(key: String, value: JSONValue)] = []
    // Duplicate keys keep the last value; large objects find them through an index.
    var index: [String: Int] = [:]
    if pos < end, base[pos] == closeBrace {
      pos += 1
      depth -= 1
      return .object(JSONObject())
    }
    members.reserveCapacity(4)
    while true {
      guard pos < end, base[pos] == quote else {
        throw fail(members.isEmpty ? "a string key or '}'" : "a string key")
      }
      let key = try parseString()
      skipWhitespace()
      guard pos < end, base[pos] == colon else { throw fail("':'") }
      pos += 1
      skipWhitespace()
      let value = try parseValue()
      if members.count < 16 {
        if let existing = members.firstIndex(where: { $0.key == key }) {
          members[existing].value = value
        } else {
          members.append((key: key, value: value))
        }
      } else {
        if index.isEmpty { for (position, member) in members.enumerated() { index[member.key] = position } }
        if let existing = index[key] {
          members[existing].value = value
        } else {
          index[key] = members.count
          members.append((key: key, value: value))
        }
      }
      skipWhitespace()
      guard pos < end else { throw fail("',' or '}'") }
      let byte = base[pos]
      pos += 1
      if byte == comma {
        skipWhitespace()
      } else if byte == closeBrace {
        break
      } else {
        pos -= 1
        throw fail("',' or '}'")
      }
    }
    depth -= 1
    return .object(JSONObject(uniqueMembers: members))
  }

  mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    pos += 1  // [
    skipWhitespace()
    var elements: [JSONValue] = []
    if pos < end, base[pos] == closeBracket {
      pos += 1
      depth -= 1
      return .array(elements)
    }
    guard pos < end, startsValue(base[pos]) else { throw fail("a value or ']'") }
    while true {
      elements.append(try parseValue())
      skipWhitespace()
      guard pos < end else { throw fail("',' or ']'") }
      let byte = base[pos]
      pos += 1
      if byte == comma {
        skipWhitespace()
      } else if byte == closeBracket {
        break
      } else {
        pos -= 1
        throw fail("',' or ']'")
      }
    }
    depth -= 1
    return .array(elements)
  }

  // MARK: Numbers

  mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
    let start = pos
    let negative = base[pos] == minus
    if negative { pos += 1 }
    guard pos < end, isDigit(base[pos]) else { throw fail("a digit") }
    // Accumulate negatively so that Int.min fits.
    var value = 0
    var overflow = false
    if base[pos] == zero {
      pos += 1
      if pos < end, isDigit(base[pos]) { throw fail("no digit after a leading 0") }
    } else {
      while pos < end {
        let digit = base[pos] &- zero
        guard digit < 10 else { break }
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (next, o2) = times10.subtractingReportingOverflow(Int(digit))
        if o1 || o2 { overflow = true }
        value = next
        pos += 1
      }
    }
    var integral = true
    if pos < end, base[pos] == UInt8(ascii: ".") {
      integral = false
      pos += 1
      guard pos < end, isDigit(base[pos]) else { throw fail("a digit") }
      while pos < end, isDigit(base[pos]) { pos += 1 }
    }
    if pos < end, base[pos] | 0x20 == UInt8(ascii: "e") {
      integral = false
      pos += 1
      if pos < end, base[pos] == UInt8(ascii: "+") || base[pos] == minus { pos += 1 }
      guard pos < end, isDigit(base[pos]) else { throw fail("a digit") }
      while pos < end, isDigit(base[pos]) { pos += 1 }
    }
    if integral, !overflow {
      if negative { return .int(value) }
      if value != Int.min { return .int(-value) }
    }
    return .double(decimalToDouble(start: start, count: pos - start))
  }

  /// Converts a number already checked against the grammar, exactly when the digits and the
  /// power of ten fit a `Double` exactly (Clinger's fast path), else through the standard library.
  func decimalToDouble(start: Int, count: Int) -> Double {
    var index = start
    let stop = start + count
    let negative = base[index] == minus
    if negative { index += 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var exponent = 0
    var exact = true
    while index < stop, isDigit(base[index]) {
      if mantissa != 0 || base[index] != zero { digits += 1 }
      mantissa = mantissa &* 10 &+ UInt64(base[index] &- zero)
      index += 1
    }
    if index < stop, base[index] == UInt8(ascii: ".") {
      index += 1
      while index < stop, isDigit(base[index]) {
        if mantissa != 0 || base[index] != zero { digits += 1 }
        mantissa = mantissa &* 10 &+ UInt64(base[index] &- zero)
        exponent -= 1
        index += 1
      }
    }
    if index < stop {  // e or E
      index += 1
      var exponentNegative = false
      if base[index] == minus {
        exponentNegative = true
        index += 1
      } else if base[index] == UInt8(ascii: "+") {
        index += 1
      }
      var explicit = 0
      while index < stop {
        if explicit < 100_000 { explicit = explicit * 10 + Int(base[index] &- zero) }
        index += 1
      }
      exponent += exponentNegative ? -explicit : explicit
    }
    if digits > 15 || mantissa > (1 << 53) { exact = false }
    if exact, exponent >= -22, exponent <= 22 {
      var result = Double(mantissa)
      if exponent >= 0 { result *= exactPowersOfTen[exponent] } else { result /= exactPowersOfTen[-exponent] }
      return negative ? -result : result
    }
    let text = String(decoding: UnsafeBufferPointer(start: base + start, count: count), as: UTF8.self)
    // The grammar was checked, so the standard library accepts it; magnitudes beyond range
    // become infinity or zero.
    return Double(text) ?? .nan
  }

  // MARK: Strings

  /// A mask with the high bit set in each byte of `word` that is a quote, a backslash, a
  /// control character or not ASCII. Bits above the lowest set one may be spurious (a borrow),
  /// so only the lowest is meaningful.
  @inline(__always) static func specialBytes(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quotes = word ^ (ones &* UInt64(quote))
    let backslashes = word ^ (ones &* UInt64(backslash))
    let hasQuote = (quotes &- ones) & ~quotes
    let hasBackslash = (backslashes &- ones) & ~backslashes
    let hasControl = (word &- ones &* 0x20) & ~word
    return (hasQuote | hasBackslash | hasControl | word) & highs
  }

  /// Parses the string whose opening quote is at `pos`, leaving `pos` after the closing quote.
  mutating func parseString() throws(JSONSyntaxError) -> String {
    pos += 1  // "
    let start = pos
    var escaped = false  // whether `scratch` holds the text so far
    var runStart = start
    while true {
      // Skip ordinary ASCII eight bytes at a time.
      while end - pos >= 8 {
        let word = UInt64(littleEndian: UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self))
        let special = ByteParser.specialBytes(word)
        if special != 0 {
          pos += special.trailingZeroBitCount >> 3
          break
        }
        pos += 8
      }
      guard pos < end else { throw fail("'\"' to close the string", at: end) }
      let byte = base[pos]
      if byte == quote {
        let string: String
        if escaped {
          scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: pos - runStart))
          string = scratch.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        } else {
          string = String(decoding: UnsafeBufferPointer(start: base + start, count: pos - start), as: UTF8.self)
        }
        pos += 1
        return string
      } else if byte == backslash {
        if !escaped {
          escaped = true
          scratch.removeAll(keepingCapacity: true)
        }
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: pos - runStart))
        try parseEscape()
        runStart = pos
      } else if byte < 0x20 {
        throw fail("an escape sequence instead of a control character")
      } else if byte >= 0x80 {
        try skipUTF8Sequence(lead: byte)
      } else {
        pos += 1
      }
    }
  }

  /// Checks the multibyte UTF-8 sequence that starts at `pos` and moves past it.
  @inline(__always) mutating func skipUTF8Sequence(lead: UInt8) throws(JSONSyntaxError) {
    let available = end - pos
    @inline(__always) func byte(_ index: Int) -> UInt8 { index < available ? base[pos + index] : 0 }
    let length: Int
    switch lead {
    case 0xC2...0xDF:
      guard isContinuation(byte(1)) else { throw fail("valid UTF-8") }
      length = 2
    case 0xE0:
      guard (0xA0...0xBF).contains(byte(1)), isContinuation(byte(2)) else { throw fail("valid UTF-8") }
      length = 3
    case 0xED:  // U+D000 to U+D7FF; the surrogates are not characters
      guard (0x80...0x9F).contains(byte(1)), isContinuation(byte(2)) else { throw fail("valid UTF-8") }
      length = 3
    case 0xE1...0xEF:
      guard isContinuation(byte(1)), isContinuation(byte(2)) else { throw fail("valid UTF-8") }
      length = 3
    case 0xF0:
      guard (0x90...0xBF).contains(byte(1)), isContinuation(byte(2)), isContinuation(byte(3)) else {
        throw fail("valid UTF-8")
      }
      length = 4
    case 0xF1...0xF3:
      guard isContinuation(byte(1)), isContinuation(byte(2)), isContinuation(byte(3)) else {
        throw fail("valid UTF-8")
      }
      length = 4
    case 0xF4:  // up to U+10FFFF
      guard (0x80...0x8F).contains(byte(1)), isContinuation(byte(2)), isContinuation(byte(3)) else {
        throw fail("valid UTF-8")
      }
      length = 4
    default:  // a continuation byte without a lead, an overlong lead (C0, C1) or beyond U+10FFFF
      throw fail("valid UTF-8")
    }
    pos += length
  }

  /// Decodes the escape at `pos` (a backslash) into `scratch` and moves past it.
  mutating func parseEscape() throws(JSONSyntaxError) {
    let escapeStart = pos
    pos += 1
    guard pos < end else { throw fail("'\"' to close the string") }
    let byte = base[pos]
    pos += 1
    switch byte {
    case quote, backslash, UInt8(ascii: "/"): scratch.append(byte)
    case UInt8(ascii: "b"): scratch.append(0x08)
    case UInt8(ascii: "f"): scratch.append(0x0C)
    case UInt8(ascii: "n"): scratch.append(0x0A)
    case UInt8(ascii: "r"): scratch.append(0x0D)
    case UInt8(ascii: "t"): scratch.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = try hexQuad()
      if (0xDC00...0xDFFF).contains(scalar) {
        throw fail("a high surrogate escape before a low surrogate", at: escapeStart)
      }
      if (0xD800...0xDBFF).contains(scalar) {
        guard end - pos >= 2, base[pos] == backslash, base[pos + 1] == UInt8(ascii: "u") else {
          throw fail("a low surrogate escape (\\uDC00 to \\uDFFF) after a high surrogate")
        }
        let lowStart = pos
        pos += 2
        let low = try hexQuad()
        guard (0xDC00...0xDFFF).contains(low) else {
          throw fail("a low surrogate escape (\\uDC00 to \\uDFFF) after a high surrogate", at: lowStart)
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      }
      appendUTF8(scalar)
    default:
      pos -= 1
      throw fail("an escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u)")
    }
  }

  /// Reads four hex digits at `pos`.
  mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard pos < end else { throw fail("a hex digit") }
      let byte = base[pos]
      let digit: UInt8
      switch byte {
      case zero...UInt8(ascii: "9"): digit = byte - zero
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw fail("a hex digit")
      }
      value = value << 4 | UInt32(digit)
      pos += 1
    }
    return value
  }

  mutating func appendUTF8(_ scalar: UInt32) {
    switch scalar {
    case 0..<0x80:
      scratch.append(UInt8(scalar))
    case 0x80..<0x800:
      scratch.append(UInt8(0xC0 | scalar >> 6))
      scratch.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
      scratch.append(UInt8(0xE0 | scalar >> 12))
      scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      scratch.append(UInt8(0x80 | scalar & 0x3F))
    default:
      scratch.append(UInt8(0xF0 | scalar >> 18))
      scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
      scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      scratch.append(UInt8(0x80 | scalar & 0x3F))
    }
  }
}
