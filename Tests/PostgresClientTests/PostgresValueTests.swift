import Foundation
import PostgresClient
import Testing

/// Every parameter kind goes to the server and back unchanged.
@Suite struct PostgresValueTests {
    private func roundTrip(_ value: PostgresValue, as type: String) async throws -> PostgresRow {
        try await TestDatabase.admin().query("SELECT $1::\(type) AS v", [value]).rows[0]
    }

    @Test func textRoundTripsUnicodeQuotesAndEmpty() async throws {
        for text in ["héllo wörld ✓ 𝄞 日本語 🙂", "", "it's \"quoted\" \\ back\\slash", "multi\nline\ttab"] {
            #expect(try await roundTrip(.text(text), as: "text").string("v") == text)
        }
    }

    @Test func integersRoundTripAtTheExtremes() async throws {
        for int in [Int.min, -1, 0, 42, Int.max] {
            #expect(try await roundTrip(.int(int), as: "bigint").int("v") == int)
        }
        #expect(try await roundTrip(.int(7), as: "integer").int("v") == 7)
    }

    @Test func booleansRoundTrip() async throws {
        #expect(try await roundTrip(.bool(true), as: "boolean").bool("v") == true)
        #expect(try await roundTrip(.bool(false), as: "boolean").bool("v") == false)
    }

    @Test func doublesRoundTripIncludingSpecialValues() async throws {
        for double in [3.141592653589793, -0.1, 1e-300, 1.7976931348623157e308, .infinity, -.infinity] {
            #expect(try await roundTrip(.double(double), as: "double precision").double("v") == double)
        }
        #expect(try await roundTrip(.double(.nan), as: "double precision").double("v").isNaN)
    }

    @Test func uuidsRoundTrip() async throws {
        let id = UUID()
        #expect(try await roundTrip(.uuid(id), as: "uuid").uuid("v") == id)
    }

    /// Date is a Double: compare instants at PostgreSQL's precision, not bit for bit.
    private func microseconds(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    @Test func datesRoundTripToTheMicrosecond() async throws {
        let dates = [
            Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000),
            Date(timeIntervalSince1970: -0.000_001),  // 1969-12-31T23:59:59.999999Z
            Date(timeIntervalSince1970: 951_782_400.5),  // 2000-02-29T00:00:00.5Z
            Date(timeIntervalSince1970: 253_402_300_799),  // 9999-12-31T23:59:59Z
            Date(timeIntervalSince1970: -2_208_988_800),  // 1900-01-01
        ]
        for date in dates {
            let decoded = try await roundTrip(.date(date), as: "timestamptz").date("v")
            #expect(microseconds(decoded) == microseconds(date), "\(date)")
        }
    }

    @Test func serverTimestampsDecodeInAnyZoneAndType() async throws {
        let expected = Date(timeIntervalSince1970: 1_714_566_896.123_456)  // 2024-05-01T12:34:56.123456Z
        try await TestDatabase.admin().withSession { session in
            let utc = try await session.query("SELECT '2024-05-01 14:34:56.123456+02'::timestamptz AS v").rows[0]
            #expect(microseconds(try utc.date("v")) == microseconds(expected))
            // Decoding must not depend on the session zone staying UTC.
            try await session.execute("SET TimeZone = 'Asia/Kolkata'")
            let kolkata = try await session.query("SELECT '2024-05-01 12:34:56.123456Z'::timestamptz AS v, now()::date AS d").rows[0]
            #expect(microseconds(try kolkata.date("v")) == microseconds(expected))
            #expect(try kolkata.date("d") <= Date() + 86_400)
            let plain = try await session.query("SELECT '2024-05-01 12:34:56.123456'::timestamp AS v").rows[0]
            #expect(microseconds(try plain.date("v")) == microseconds(expected))
        }
    }

    @Test func byteaRoundTripsEveryByteValue() async throws {
        let bytes = (0...255).map(UInt8.init) + [0, 0, 255]
        #expect(try await roundTrip(.bytes(bytes), as: "bytea").bytes("v") == bytes)
        #expect(try await roundTrip(.bytes([]), as: "bytea").bytes("v") == [])
    }

    @Test func nullRoundTripsForEveryType() async throws {
        for type in ["text", "bigint", "boolean", "double precision", "uuid", "timestamptz", "bytea"] {
            let row = try await roundTrip(.null, as: type)
            #expect(try row.isNull("v"))
        }
        let row = try await roundTrip(.null, as: "text")
        #expect(try row.optionalString("v") == nil)
        #expect(try row.optionalInt("v") == nil)
        #expect(try row.optionalUUID("v") == nil)
        #expect(try row.optionalDate("v") == nil)
        #expect(try row.optionalBytes("v") == nil)
    }

    @Test func literalsAndOptionalsBecomeParameters() async throws {
        let missing: String? = nil
        let present: Int? = 5
        let row = try await TestDatabase.admin().query(
            "SELECT $1::text AS a, $2::int AS b, $3::bool AS c, $4::float8 AS d, $5::text AS e, $6::text AS f, $7::int AS g",
            ["x", 1, true, 2.5, nil, PostgresValue(missing), PostgresValue(present)]
        ).rows[0]
        #expect(try row.string("a") == "x")
        #expect(try row.int("b") == 1)
        #expect(try row.bool("c"))
        #expect(try row.double("d") == 2.5)
        #expect(try row.optionalString("e") == nil)
        #expect(try row.optionalString("f") == nil)
        #expect(try row.int("g") == 5)
    }

    @Test func textHoldingNULIsRejectedBeforeSending() async throws {
        let admin = try TestDatabase.admin()
        await #expect {
            try await admin.query("SELECT $1::text", [.text("secret\u{0}tail")])
        } throws: { error in
            guard let error = error as? PostgresError else { return false }
            return error.sqlState == "22021" && !error.description.contains("secret")
        }
        #expect(try await admin.query("SELECT 1 AS one").rows[0].int("one") == 1)
    }
}
