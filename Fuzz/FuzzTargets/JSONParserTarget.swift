import Foundation
import JSON

/// `JSONParser` on arbitrary bytes, and differentially against Foundation's `JSONSerialization`.
///
/// Invariants: no crash; a parsed object writes back (JSONWriter) to JSON that parses to the
/// same value; and ours and Foundation accept and reject the same inputs within the grammar
/// both implement: RFC 8259 with a top-level object. Outside it they legitimately differ, and
/// the comparison leaves out (`JSONGrammarComparison`):
/// - top-level values other than an object (ours accepts objects only; Foundation arrays too);
/// - inputs with a NUL byte, or a byte-order mark or other lead bytes by which Foundation
///   detects UTF-16 or UTF-32 (ours reads UTF-8 only, as RFC 8259 §8.1 asks);
/// - duplicate member names (ours refuses them; Foundation keeps one);
/// - nesting deeper than our limit of 32 (Foundation allows 512);
/// - `\u` escapes of unpaired surrogates (ours refuses them; Foundation may substitute);
/// - numbers beyond Double's range, or that round to zero (Foundation refuses some, keeps
///   others as Decimal; ours reads them as Double);
/// - a comma before `}` or `]` (Foundation accepts trailing commas, RFC 8259 does not);
/// - invalid UTF-8 (both refuse inside strings, but Foundation validates where ours need not
///   look: nothing differs in accept/reject, yet its error may win before a syntax error).
public enum JSONParserTarget: FuzzTarget {
    public static let name = "JSONParser"

    public static func check(_ input: [UInt8]) throws(InvariantViolation) {
        let ours = Result { () throws(JSONParser.Failure) in try JSONParser.parseObject(input) }
        if case .success(let object) = ours, JSONGrammarComparison.isFinite(.object(object)) {
            let written = JSONGrammarComparison.write(object)
            let reparsed = Result { () throws(JSONParser.Failure) in try JSONParser.parseObject(written) }
            try require(reparsed == .success(object), "our written \(String(decoding: written, as: UTF8.self)) parses to \(reparsed)")
        }
        guard JSONGrammarComparison.isComparable(input, ours: ours) else { return }
        let oursAccepts = (try? ours.get()) != nil
        let foundationAccepts = (try? JSONSerialization.jsonObject(with: Data(input))) != nil
        try require(oursAccepts == foundationAccepts, "ours \(ours), Foundation accepts: \(foundationAccepts)")
    }
}
