import Foundation
import Testing

@testable import Interleave

// MARK: - Helpers

private func parse(_ text: String, maxDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue {
  try JSONParser.parse(text, maxDepth: maxDepth)
}

private func parse(bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
  let result: Result<JSONValue, JSONSyntaxError> = bytes.withUnsafeBytes { raw in
    do throws(JSONSyntaxError) {
      return .success(try JSONParser.parse(raw))
    } catch {
      return .failure(error)
    }
  }
  return try result.get()
}

/// The error parsing `text` throws, or nil when it parses.
private func syntaxError(_ text: String) -> JSONSyntaxError? {
  do {
    _ = try parse(text)
    return nil
  } catch {
    return error
  }
}

private func syntaxError(bytes: [UInt8]) -> JSONSyntaxError? {
  do {
    _ = try parse(bytes: bytes)
    return nil
  } catch {
    return error
  }
}

/// A file in the temporary directory, removed by `remove()`.
private struct TemporaryFile {
  let url: URL
  var path: String { url.path }

  init(_ contents: String) throws { try self.init(bytes: Array(contents.utf8)) }

  init(bytes: [UInt8]) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("interleave-jsonl-\(UUID().uuidString).jsonl")
    try Data(bytes).write(to: url)
  }

  func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Reads every line of `reader` until the end or the first error.
private func readAll(_ reader: JSONLReader) throws(JSONLError) -> [(line: Int, value: JSONValue)] {
  var entries: [(line: Int, value: JSONValue)] = []
  while let entry = try reader.next() { entries.append(entry) }
  return entries
}

/// The error the next read throws, or nil.
private func nextError(_ reader: JSONLReader) -> JSONLError? {
  do {
    _ = try reader.next()
    return nil
  } catch {
    return error
  }
}

// MARK: - Parser: values

@Suite("JSONL: the JSON parser")
struct JSONParserValueTests {
  @Test("literals, with whitespace around")
  func literals() throws {
    #expect(try parse("null") == .null)
    #expect(try parse("true") == .bool(true))
    #expect(try parse(" \t\r\nfalse \t\r\n") == .bool(false))
  }

  @Test("integers that fit Int are .int, even the extremes")
  func integers() throws {
    #expect(try parse("0") == .int(0))
    #expect(try parse("-0") == .int(0))
    #expect(try parse("42") == .int(42))
    #expect(try parse("-17") == .int(-17))
    #expect(try parse("9223372036854775807") == .int(Int.max))
    #expect(try parse("-9223372036854775808") == .int(Int.min))
  }

  @Test("integers beyond Int become .double")
  func bigIntegers() throws {
    #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808.0))
    #expect(try parse("-9223372036854775809") == .double(-9_223_372_036_854_775_809.0))
    #expect(try parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
  }

  @Test("fractions and exponents are .double and round like the standard library",
    arguments: [
      "1.5", "-2.25e3", "1E10", "1e-3", "1e+2", "0.1", "-0.0", "6.02214076e23", "2.2250738585072014e-308",
      "4.9e-324", "1.7976931348623157e308", "0.30000000000000004", "123456789.123456789", "1e22", "1e23",
      "9007199254740993.0", "0.000001", "100000000000000000000000e-5", "3.141592653589793238462643383279",
    ])
  func doubles(text: String) throws {
    let value = try parse(text)
    guard case .double(let number) = value else {
      Issue.record("\(text) parsed as \(value)")
      return
    }
    let expected = try #require(Double(text))
    #expect(number.bitPattern == expected.bitPattern, "\(text)")
  }

  @Test("magnitudes beyond Double are infinity or zero")
  func outOfRange() throws {
    #expect(try parse("1e400") == .double(.infinity))
    #expect(try parse("-1e400") == .double(-.infinity))
    #expect(try parse("1e-400") == .double(0))
  }

  @Test("strings: plain, every escape, \\u escapes and surrogate pairs")
  func strings() throws {
    #expect(try parse(#""""#) == .string(""))
    #expect(try parse(#""abc""#) == .string("abc"))
    #expect(try parse(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{08} \u{0C} \n \r \t"))
    #expect(try parse(#""\u0041\u00e9\u20AC\u0000""#) == .string("Aé€\u{0}"))
    #expect(try parse(#""\uD83D\uDE00""#) == .string("😀"))
    #expect(try parse(#""x\ud834\udd1ey""#) == .string("x𝄞y"))
    #expect(try parse(#""héllo € 😀 \u00e9""#) == .string("héllo € 😀 é"))
    #expect(try parse("\"del \u{7F} is fine\"") == .string("del \u{7F} is fine"))
  }

  @Test("strings longer than a word, with an escape or a quote at every position")
  func stringsAcrossWords() throws {
    let text = "abcdefghijklmnopqrstuvwxyz0123456789"
    for index in 0...text.count {
      let prefix = String(text.prefix(index))
      let suffix = String(text.dropFirst(index))
      #expect(try parse("\"\(prefix)\\n\(suffix)\"") == .string(prefix + "\n" + suffix))
      #expect(try parse("\"\(prefix)é\(suffix)\"") == .string(prefix + "é" + suffix))
      #expect(try parse("[\"\(prefix)\",\"\(suffix)\"]") == .array([.string(prefix), .string(suffix)]))
    }
  }

  @Test("arrays and objects, nested; objects keep member order")
  func containers() throws {
    #expect(try parse("[]") == .array([]))
    #expect(try parse("{}") == .object(JSONObject()))
    #expect(try parse(" [ 1 , \"a\" , null , [ true , { } ] ] ") == [1, "a", nil, [true, [:]]])
    let value = try parse(#"{"z":1,"a":{"y":[1,2.5,{"k":"v"}],"b":false},"m":null}"#)
    #expect(value == ["z": 1, "a": ["y": [1, 2.5, ["k": "v"]], "b": false], "m": nil])
    #expect(value.objectValue?.keys == ["z", "a", "m"])
    #expect(value["a"]?.objectValue?.keys == ["y", "b"])
  }

  @Test("a duplicate key keeps its first position and takes the last value")
  func duplicateKeys() throws {
    let value = try parse(#"{"a":1,"b":2,"a":3}"#)
    #expect(value.objectValue?.keys == ["a", "b"])
    #expect(value["a"] == 3)
  }

  @Test("a trace line")
  func traceLine() throws {
    let value = try parse(
      #"{"action":"transfer","args":{"from":"a","to":"b","amount":42},"response":"ok","state":{"balance":{"a":958,"b":1042},"seq":17}}"#
    )
    #expect(
      value == [
        "action": "transfer", "args": ["from": "a", "to": "b", "amount": 42], "response": "ok",
        "state": ["balance": ["a": 958, "b": 1042], "seq": 17],
      ])
  }

  @Test("nesting up to maxDepth parses; one more is an error at the opening bracket")
  func depth() throws {
    let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    #expect(throws: Never.self) { try parse(deepest) }
    let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
    #expect(syntaxError(tooDeep) == JSONSyntaxError(offset: 512, expected: "nesting at most 512 deep"))
    #expect(try parse(#"{"a":[1]}"#, maxDepth: 2) == ["a": [1]])
    #expect(throws: JSONSyntaxError(offset: 6, expected: "nesting at most 2 deep")) {
      try parse(#"{"a":[{}]}"#, maxDepth: 2)
    }
  }

  @Test("the error describes itself")
  func errorDescription() {
    #expect(JSONSyntaxError(offset: 3, expected: "a value").description == "offset 3: expected a value")
  }
}

// MARK: - Parser: errors

@Suite("JSONL: JSON syntax errors")
struct JSONParserErrorTests {
  @Test(
    "the offset and what was expected",
    arguments: [
      ("", 0, "a value"),
      ("   ", 3, "a value"),
      ("{", 1, "a string key or '}'"),
      ("{'a':1}", 1, "a string key or '}'"),
      (#"{"a":1,}"#, 7, "a string key"),
      (#"{"a" 1}"#, 5, "':'"),
      (#"{"a""#, 4, "':'"),
      (#"{"a":}"#, 5, "a value"),
      (#"{"a":1 "b":2}"#, 7, "',' or '}'"),
      (#"{"a":1"#, 6, "',' or '}'"),
      (#"{"a":1]"#, 6, "',' or '}'"),
      ("[", 1, "a value or ']'"),
      ("[}", 1, "a value or ']'"),
      ("[1,]", 3, "a value"),
      ("[1 2]", 3, "',' or ']'"),
      ("[1", 2, "',' or ']'"),
      ("[1}", 2, "',' or ']'"),
      ("01", 1, "no digit after a leading 0"),
      ("-012", 2, "no digit after a leading 0"),
      ("+1", 0, "a value"),
      (".5", 0, "a value"),
      ("1.", 2, "a digit"),
      ("1.e5", 2, "a digit"),
      ("1e", 2, "a digit"),
      ("1e+", 3, "a digit"),
      ("1E-x", 3, "a digit"),
      ("-", 1, "a digit"),
      ("-a", 1, "a digit"),
      ("- 1", 1, "a digit"),
      ("NaN", 0, "a value"),
      ("Infinity", 0, "a value"),
      ("-Infinity", 1, "a digit"),
      ("tru", 0, "'true'"),
      ("trUe", 0, "'true'"),
      ("fals", 0, "'false'"),
      ("nul", 0, "'null'"),
      ("nulL", 0, "'null'"),
      ("true false", 5, "end of line"),
      ("truex", 4, "end of line"),
      ("{} x", 3, "end of line"),
      ("[1]]", 3, "end of line"),
      ("1 2", 2, "end of line"),
      ("0x1F", 1, "end of line"),
      ("\u{0B}1", 0, "a value"),
      ("\u{A0}1", 0, "a value"),
      (#""abc"#, 4, "'\"' to close the string"),
      (#""abcdefghijklmnop"#, 17, "'\"' to close the string"),
      (#""\"#, 2, "'\"' to close the string"),
      ("\"a\tb\"", 2, "an escape sequence instead of a control character"),
      ("\"abcdefghij\nb\"", 11, "an escape sequence instead of a control character"),
      ("\"\u{1F}\"", 1, "an escape sequence instead of a control character"),
      (#""\x""#, 2, #"an escape (\", \\, \/, \b, \f, \n, \r, \t or \u)"#),
      (#""\U0041""#, 2, #"an escape (\", \\, \/, \b, \f, \n, \r, \t or \u)"#),
      (#""\u12G4""#, 5, "a hex digit"),
      (#""\u12"#, 5, "a hex digit"),
      (#""\uDC00""#, 1, "a high surrogate escape before a low surrogate"),
      (#""\uD800""#, 7, "a low surrogate escape (\\uDC00 to \\uDFFF) after a high surrogate"),
      (#""\uD800x""#, 7, "a low surrogate escape (\\uDC00 to \\uDFFF) after a high surrogate"),
      (#""\uD800\n""#, 7, "a low surrogate escape (\\uDC00 to \\uDFFF) after a high surrogate"),
      (#""\uD800\u0041""#, 7, "a low surrogate escape (\\uDC00 to \\uDFFF) after a high surrogate"),
      (#""\uD800\uD800""#, 7, "a low surrogate escape (\\uDC00 to \\uDFFF) after a high surrogate"),
      ("'a'", 0, "a value"),
    ] as [(String, Int, String)])
  func errors(text: String, offset: Int, expected: String) {
    #expect(syntaxError(text) == JSONSyntaxError(offset: offset, expected: expected), "\(text)")
  }

  @Test(
    "invalid UTF-8 in a string is an error at the start of the bad sequence",
    arguments: [
      [0xC3, 0x28],  // a lead without its continuation
      [0xED, 0xA0, 0x80],  // U+D800, a surrogate
      [0xED, 0xBF, 0xBF],  // U+DFFF, a surrogate
      [0xF5, 0x80, 0x80, 0x80],  // beyond U+10FFFF
      [0xF4, 0x90, 0x80, 0x80],  // U+110000
      [0xFF],
      [0x80],  // a continuation without a lead
      [0xBF],
      [0xC0, 0xAF],  // overlong "/"
      [0xC1, 0xBF],  // overlong
      [0xE0, 0x80, 0xAF],  // overlong
      [0xE0, 0x9F, 0xBF],  // overlong
      [0xF0, 0x80, 0x80, 0xAF],  // overlong
      [0xF0, 0x8F, 0xBF, 0xBF],  // overlong
      [0xE2, 0x82],  // cut short by the closing quote
      [0xF0, 0x9F, 0x98],  // cut short by the closing quote
      [0xC3, 0xC3, 0xA9],
    ] as [[UInt8]])
  func invalidUTF8(sequence: [UInt8]) {
    let quote = UInt8(ascii: "\"")
    #expect(syntaxError(bytes: [quote] + sequence + [quote]) == JSONSyntaxError(offset: 1, expected: "valid UTF-8"))
    // After a run of ASCII that the parser skips a word at a time.
    let prefix = Array("abcdefghijk".utf8)
    #expect(
      syntaxError(bytes: [quote] + prefix + sequence + Array("lmnopqrstuvw".utf8) + [quote])
        == JSONSyntaxError(offset: 12, expected: "valid UTF-8"))
  }

  @Test("UTF-8 cut short by the end of the input")
  func truncatedUTF8() {
    #expect(syntaxError(bytes: [0x22, 0xE2, 0x82]) == JSONSyntaxError(offset: 1, expected: "valid UTF-8"))
    #expect(syntaxError(bytes: [0x22, 0xC3]) == JSONSyntaxError(offset: 1, expected: "valid UTF-8"))
  }

  @Test(
    "the edges of valid UTF-8 parse",
    arguments: [
      ([0xC2, 0x80], "\u{80}"), ([0xDF, 0xBF], "\u{7FF}"), ([0xE0, 0xA0, 0x80], "\u{800}"),
      ([0xED, 0x9F, 0xBF], "\u{D7FF}"), ([0xEE, 0x80, 0x80], "\u{E000}"), ([0xEF, 0xBF, 0xBF], "\u{FFFF}"),
      ([0xF0, 0x90, 0x80, 0x80], "\u{10000}"), ([0xF4, 0x8F, 0xBF, 0xBF], "\u{10FFFF}"),
      ([0xE2, 0x82, 0xAC], "€"),
    ] as [([UInt8], String)])
  func validUTF8(sequence: [UInt8], expected: String) throws {
    #expect(try parse(bytes: [0x22] + sequence + [0x22]) == .string(expected))
  }

  @Test("bytes that are not UTF-8 outside a string are not a value")
  func invalidOutsideString() {
    #expect(syntaxError(bytes: [0xEF, 0xBB, 0xBF, 0x31]) == JSONSyntaxError(offset: 0, expected: "a value"))
    #expect(syntaxError(bytes: [0x5B, 0xC3, 0xA9, 0x5D]) == JSONSyntaxError(offset: 1, expected: "a value or ']'"))
  }
}

// MARK: - Reader

@Suite("JSONL: reading files")
struct JSONLReaderTests {
  @Test("reads one value per line with its line number")
  func basic() throws {
    let file = try TemporaryFile("{\"a\":1}\n[2]\n\"three\"\n")
    defer { file.remove() }
    let reader = try JSONLReader(path: file.path)
    let entries = try readAll(reader)
    #expect(entries.map(\.line) == [1, 2, 3])
    #expect(entries.map(\.value) == [["a": 1], [2], "three"])
    #expect(try reader.next() == nil)
    #expect(reader.warnings.isEmpty)
    #expect(reader.path == file.path)
  }

  @Test("reads a pipe through its descriptor, and names it in errors")
  func pipeDescriptor() throws {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let text = Array("{\"a\":1}\n{\"b\":}\n".utf8)
    #expect(text.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) } == text.count)
    close(ends[1])
    let reader = JSONLReader(descriptor: ends[0], name: JSONLReader.standardInputName)
    #expect(try reader.next()?.value == ["a": 1])
    #expect(throws: JSONLError.syntax(path: "<stdin>", line: 2, column: 6, expected: "a value")) { try reader.next() }
    #expect(try reader.next() == nil)
  }

  @Test("CRLF line endings")
  func crlf() throws {
    let file = try TemporaryFile("{\"a\":1}\r\n{\"b\":\"x\"}\r\n")
    defer { file.remove() }
    let entries = try readAll(try JSONLReader(path: file.path))
    #expect(entries.map(\.line) == [1, 2])
    #expect(entries.map(\.value) == [["a": 1], ["b": "x"]])
  }

  @Test("blank lines are skipped but counted")
  func blankLines() throws {
    let file = try TemporaryFile("\n{\"a\":1}\n   \n\r\n\t\n{\"a\":2}\n\n")
    defer { file.remove() }
    let entries = try readAll(try JSONLReader(path: file.path))
    #expect(entries.map(\.line) == [2, 6])
    #expect(entries.map(\.value) == [["a": 1], ["a": 2]])
  }

  @Test("a byte order mark at the start is skipped; columns count from after it")
  func byteOrderMark() throws {
    let file = try TemporaryFile(bytes: [0xEF, 0xBB, 0xBF] + Array("{\"a\":1}\n[2]\n".utf8))
    defer { file.remove() }
    let entries = try readAll(try JSONLReader(path: file.path))
    #expect(entries.map(\.value) == [["a": 1], [2]])
    #expect(entries.map(\.line) == [1, 2])

    let bad = try TemporaryFile(bytes: [0xEF, 0xBB, 0xBF] + Array("{x}\n".utf8))
    defer { bad.remove() }
    #expect(
      nextError(try JSONLReader(path: bad.path))
        == .syntax(path: bad.path, line: 1, column: 2, expected: "a string key or '}'"))

    let onlyMark = try TemporaryFile(bytes: [0xEF, 0xBB, 0xBF])
    defer { onlyMark.remove() }
    #expect(try readAll(try JSONLReader(path: onlyMark.path)).isEmpty)
  }

  @Test("an empty file, or one of blank lines, has no values")
  func empty() throws {
    for contents in ["", "\n", " \n\r\n\n", "  "] {
      let file = try TemporaryFile(contents)
      defer { file.remove() }
      let reader = try JSONLReader(path: file.path)
      #expect(try reader.next() == nil)
      #expect(reader.warnings.isEmpty)
    }
  }

  @Test("a last line without a newline that parses is returned")
  func lastLineWithoutNewline() throws {
    let file = try TemporaryFile("{\"a\":1}\n\n{\"b\":2}")
    defer { file.remove() }
    let reader = try JSONLReader(path: file.path)
    let entries = try readAll(reader)
    #expect(entries.map(\.line) == [1, 3])
    #expect(entries.map(\.value) == [["a": 1], ["b": 2]])
    #expect(reader.warnings.isEmpty)

    let crOnly = try TemporaryFile("[1]\r")
    defer { crOnly.remove() }
    #expect(try readAll(try JSONLReader(path: crOnly.path)).map(\.value) == [[1]])
  }

  @Test("a cut-short last line is a warning, and the lines before it are read")
  func truncatedLastLine() throws {
    let file = try TemporaryFile("{\"a\":1}\n{\"b\":2}\n\n{\"c\":[1,2")
    defer { file.remove() }
    let reader = try JSONLReader(path: file.path)
    let entries = try readAll(reader)
    #expect(entries.map(\.line) == [1, 2])
    #expect(reader.warnings == [.truncatedLastLine(path: file.path, line: 4)])
    #expect(try reader.next() == nil)
    #expect(reader.warnings.count == 1)
    #expect(
      reader.warnings.first?.description
        == "\(file.path):4: the last line is cut short (the writer probably crashed); it is ignored")
  }

  @Test("a cut-short string or invalid UTF-8 on the last line is a warning too")
  func truncatedInsideString() throws {
    let file = try TemporaryFile(bytes: Array("[1]\n{\"a\":\"x".utf8) + [0xE2, 0x82])
    defer { file.remove() }
    let reader = try JSONLReader(path: file.path)
    #expect(try readAll(reader).map(\.value) == [[1]])
    #expect(reader.warnings == [.truncatedLastLine(path: file.path, line: 2)])
  }

  @Test("a malformed line with a newline is a syntax error at its line and column; reading goes on")
  func malformedLine() throws {
    let file = try TemporaryFile("{\"a\":1}\n\n{\"a\" 1}\n{\"b\":2}\n{\"c\":3,}\n")
    defer { file.remove() }
    let reader = try JSONLReader(path: file.path)
    #expect(try reader.next()?.line == 1)
    let error = nextError(reader)
    #expect(error == .syntax(path: file.path, line: 3, column: 6, expected: "':'"))
    #expect(error?.description == "\(file.path):3:6: expected ':'")
    let next = try reader.next()
    #expect(next?.line == 4)
    #expect(next?.value == ["b": 2])
    #expect(nextError(reader) == .syntax(path: file.path, line: 5, column: 8, expected: "a string key"))
    #expect(try reader.next() == nil)
    #expect(reader.warnings.isEmpty)
  }

  @Test("invalid UTF-8 in a line is a syntax error with its byte column")
  func invalidUTF8Line() throws {
    let file = try TemporaryFile(bytes: Array("[1]\n[\"ab".utf8) + [0xC3, 0x28] + Array("\"]\n".utf8))
    defer { file.remove() }
    let reader = try JSONLReader(path: file.path)
    _ = try reader.next()
    #expect(nextError(reader) == .syntax(path: file.path, line: 2, column: 5, expected: "valid UTF-8"))
  }

  @Test("a line over the limit is an error; a line at the limit is not; reading goes on")
  func lineTooLong() throws {
    // Line 2 is 10 bytes, line 3 is 11, line 4 is 10 with CRLF, line 5 is 11 and last.
    let file = try TemporaryFile("[1]\n[1,2,3,44]\n[1,2,3,444]\n[1,2,3,44]\r\n[1,2,3,444]")
    defer { file.remove() }
    let reader = try JSONLReader(path: file.path, maxLineBytes: 10)
    #expect(try reader.next()?.line == 1)
    #expect(try reader.next()?.line == 2)
    let error = nextError(reader)
    #expect(error == .lineTooLong(path: file.path, line: 3, limit: 10))
    #expect(error?.description == "\(file.path):3: line longer than 10 bytes")
    #expect(try reader.next()?.line == 4)
    #expect(nextError(reader) == .lineTooLong(path: file.path, line: 5, limit: 10))
    #expect(try reader.next() == nil)
  }

  @Test("a line far longer than the buffer is rejected without reading it whole, and reading goes on")
  func hugeLine() throws {
    var contents = Array("[1]\n[".utf8)
    contents += Array(repeating: UInt8(ascii: "7"), count: 3 << 20)
    contents += Array("]\n\"after\"\n".utf8)
    let file = try TemporaryFile(bytes: contents)
    defer { file.remove() }
    let reader = try JSONLReader(path: file.path)
    #expect(try reader.next()?.value == [1])
    #expect(nextError(reader) == .lineTooLong(path: file.path, line: 2, limit: 1 << 20))
    let next = try reader.next()
    #expect(next?.line == 3)
    #expect(next?.value == "after")
  }

  @Test("a line longer than one read chunk parses when the limit allows it")
  func longLine() throws {
    let string = String(repeating: "abcdefgh", count: 300_000)  // 2.4 MB
    let file = try TemporaryFile("[0]\n[\"\(string)\",1]\n[2]\n")
    defer { file.remove() }
    let reader = try JSONLReader(path: file.path, maxLineBytes: 3 << 20)
    let entries = try readAll(reader)
    #expect(entries.map(\.line) == [1, 2, 3])
    #expect(entries[1].value == [.string(string), 1])
  }

  @Test("many lines across read chunks, counted by scanOnly")
  func manyLines() throws {
    var text = ""
    for index in 0..<50_000 {
      text += #"{"action":"step","args":{"i":\#(index)},"state":{"x":"\#(String(repeating: "y", count: index % 40))"}}"#
      text += index % 7 == 0 ? "\r\n" : "\n"
    }
    let file = try TemporaryFile(text)
    defer { file.remove() }
    #expect(try JSONLReader.scanOnly(path: file.path) == 50_000)
    let reader = try JSONLReader(path: file.path)
    var expectedLine = 1
    while let entry = try reader.next() {
      #expect(entry.line == expectedLine)
      #expect(entry.value["args"]?["i"] == .int(expectedLine - 1))
      expectedLine += 1
    }
    #expect(expectedLine == 50_001)
  }

  @Test("a file that does not exist cannot be opened")
  func missingFile() {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("interleave-missing-\(UUID().uuidString).jsonl").path
    #expect(throws: JSONLError.cannotOpen(path: path, reason: "No such file or directory")) {
      try JSONLReader(path: path)
    }
    #expect(throws: JSONLError.cannotOpen(path: path, reason: "No such file or directory")) {
      try JSONLReader.scanOnly(path: path)
    }
    #expect(
      JSONLError.cannotOpen(path: "trace.jsonl", reason: "No such file or directory").description
        == "cannot open trace.jsonl: No such file or directory")
  }

  @Test("a directory cannot be read")
  func directory() throws {
    let path = FileManager.default.temporaryDirectory.path
    var error: JSONLError?
    do {
      _ = try JSONLReader.scanOnly(path: path)
    } catch let thrown {
      error = thrown
    }
    guard case .cannotOpen(path, _) = error else {
      Issue.record("expected cannotOpen, got \(String(describing: error))")
      return
    }
  }

  @Test("the messages read like a compiler's")
  func descriptions() {
    #expect(
      JSONLError.syntax(path: "trace.jsonl", line: 12, column: 7, expected: "',' or '}'").description
        == "trace.jsonl:12:7: expected ',' or '}'")
    #expect(
      JSONLError.lineTooLong(path: "trace.jsonl", line: 3, limit: 1_048_576).description
        == "trace.jsonl:3: line longer than 1048576 bytes")
    #expect(
      JSONLError.truncatedLastLine(path: "trace.jsonl", line: 40).description
        == "trace.jsonl:40: the last line is cut short (the writer probably crashed); it is ignored")
  }
}
