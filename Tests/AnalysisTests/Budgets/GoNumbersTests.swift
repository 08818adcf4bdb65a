import Analysis
import CIPolicy
import Configuration
import Testing

@Suite("Go number syntax (dive's strconv.ParseFloat, %v, humanize.ParseBytes)")
struct GoNumbersTests {
  @Test(
    "ParseFloat accepts what Go accepts",
    arguments: [
      ("0.95", 0.95), ("1", 1.0), (".99", 0.99), ("5.", 5.0), ("9.9e-1", 0.99), ("+0.5", 0.5), ("-0", 0.0),
      ("0x1p-1", 0.5), ("0X1.8P1", 3.0), ("0.9_9", 0.99), ("1_0", 10.0), ("1e-400", 0.0), ("1E2", 100.0),
    ])
  func parsesLikeGo(text: String, expected: Double) throws {
    #expect(try GoNumbers.parseFloat(text).get() == expected)
  }

  @Test("ParseFloat's special values")
  func specialValues() throws {
    #expect(try GoNumbers.parseFloat("nan").get().isNaN)
    #expect(try GoNumbers.parseFloat("NaN").get().isNaN)
    #expect(try GoNumbers.parseFloat("infinity").get() == .infinity)
    #expect(try GoNumbers.parseFloat("-Inf").get() == -.infinity)
    #expect(try GoNumbers.parseFloat("+INF").get() == .infinity)
  }

  @Test(
    "ParseFloat refuses what Go refuses, with Go's message",
    arguments: [
      ("abc", "strconv.ParseFloat: parsing \"abc\": invalid syntax"),
      (" 0.5", "strconv.ParseFloat: parsing \" 0.5\": invalid syntax"),
      ("+nan", "strconv.ParseFloat: parsing \"+nan\": invalid syntax"),
      ("", "strconv.ParseFloat: parsing \"\": invalid syntax"),
      ("0x1", "strconv.ParseFloat: parsing \"0x1\": invalid syntax"),
      ("1__0", "strconv.ParseFloat: parsing \"1__0\": invalid syntax"),
      ("_1", "strconv.ParseFloat: parsing \"_1\": invalid syntax"),
      ("1e", "strconv.ParseFloat: parsing \"1e\": invalid syntax"),
      ("1.2.3", "strconv.ParseFloat: parsing \"1.2.3\": invalid syntax"),
      ("infin", "strconv.ParseFloat: parsing \"infin\": invalid syntax"),
      ("true", "strconv.ParseFloat: parsing \"true\": invalid syntax"),
      ("1e400", "strconv.ParseFloat: parsing \"1e400\": value out of range"),
    ])
  func refusesLikeGo(text: String, message: String) {
    switch GoNumbers.parseFloat(text) {
    case .success(let value): Issue.record("accepted \(text) as \(value)")
    case .failure(let error): #expect(error.description == message)
    }
  }

  @Test(
    "%v prints the shortest digits, in exponent form below 1e-4 and from 1e6",
    arguments: [
      (0.4834911001404049, "0.4834911001404049"), (0.1, "0.1"), (0.9, "0.9"), (1.0, "1"), (0.0, "0"),
      (100000.0, "100000"), (1_000_000.0, "1e+06"), (1_234_567.0, "1.234567e+06"), (0.0001, "0.0001"),
      (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (2.0, "2"), (1e21, "1e+21"), (-0.25, "-0.25"),
      (Double.nan, "NaN"), (Double.infinity, "+Inf"), (0.8497482171562969, "0.8497482171562969"),
    ])
  func formatsPercentV(value: Double, expected: String) {
    #expect(GoNumbers.formatV(value) == expected)
  }

  @Test(
    "FormatFloat 'f' -1 never uses an exponent",
    arguments: [(1e-7, "0.0000001"), (1e21, "1000000000000000000000"), (0.95, "0.95"), (20.0, "20")])
  func formatsF(value: Double, expected: String) {
    #expect(GoNumbers.formatF(value) == expected)
  }

  @Test(
    "humanize.ParseBytes: SI unless there is an i, commas dropped, truncation",
    arguments: [
      ("20Mb", UInt64(20_000_000)), ("32kb", 32000), ("32 K", 32000), ("31.2KiB", 31948), ("31.3KiB", 32051),
      ("1,3", 13), ("1000", 1000), ("0", 0), ("1 GiB", 1_073_741_824), ("2eb", 2_000_000_000_000_000_000), ("5 b", 5),
    ])
  func parsesBytes(text: String, expected: UInt64) throws {
    #expect(try DiveByteSize.parse(text).get() == expected)
  }

  @Test(
    "humanize.ParseBytes refuses with go-humanize's message",
    arguments: [
      ("-5", "strconv.ParseFloat: parsing \"\": invalid syntax"), ("1e3", "unhandled size name: e3"),
      ("20 MBs", "unhandled size name: mbs"), ("99eib", "too large: 99eib"),
      ("abc", "strconv.ParseFloat: parsing \"\": invalid syntax"),
    ])
  func refusesBytes(text: String, message: String) {
    switch DiveByteSize.parse(text) {
    case .success(let value): Issue.record("accepted \(text) as \(value)")
    case .failure(let error): #expect(error.message == message)
    }
  }
}
