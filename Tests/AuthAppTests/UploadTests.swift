import Foundation
import Testing

@Suite("Upload counting")
struct UploadTests {
    @Test func countsUpToTheLimitThen429() async throws {
        let app = try await TestApp(["UPLOAD_LIMIT": "2"])
        let client = try app.client()
        let account = try await client.register()
        let start = try await client.call("GET", "/api/auth/user-uploads", token: account.accessToken)
        #expect(start.status == 200)
        #expect(start.json["filesUploaded"] as? Int == 0)
        #expect(start.json["remaining"] as? Int == 2)
        #expect(start.json["canUpload"] as? Bool == true)
        #expect(start.json["limit"] as? Int == 2)

        let first = try await client.call("POST", "/api/auth/increment-upload", token: account.accessToken)
        #expect(first.status == 200)
        #expect(first.json["filesUploaded"] as? Int == 1)
        let second = try await client.call("POST", "/api/auth/increment-upload", token: account.accessToken)
        #expect(second.json["canUpload"] as? Bool == false)
        #expect(second.json["remaining"] as? Int == 0)
        let third = try await client.call("POST", "/api/auth/increment-upload", token: account.accessToken)
        #expect(third.status == 429)
        #expect(third.code == "UPLOAD_LIMIT_REACHED")
        #expect(third.json["filesUploaded"] as? Int == 2)
        #expect(third.json["canUpload"] as? Bool == false)
    }

    @Test func concurrentIncrementsNeverPassTheLimit() async throws {
        let app = try await TestApp(["UPLOAD_LIMIT": "10", "DB_POOL_SIZE": "8"])
        let account = try await app.client().register()
        try await Database.execute("UPDATE users SET files_uploaded = 3 WHERE email = $1", [.text(account.email)])
        let statuses = await concurrently(30) {
            (try? await app.client().call("POST", "/api/auth/increment-upload", token: account.accessToken).status) ?? -1
        }
        #expect(statuses.filter { $0 == 200 }.count == 7)
        #expect(statuses.filter { $0 == 429 }.count == 23)
        let final = try await app.client().call("GET", "/api/auth/user-uploads", token: account.accessToken)
        #expect(final.json["filesUploaded"] as? Int == 10)
    }

    @Test func statisticsAreForAdminsOnly() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let candidate = try await client.register()
        let refused = try await client.call("GET", "/api/auth/upload-stats", token: candidate.accessToken)
        #expect(refused.status == 403)
        #expect(refused.code == "FORBIDDEN")

        let adminEmail = TestApp.uniqueEmail("admin")
        _ = try await app.app.createAdmin(email: adminEmail, password: "admin passphrase")
        let admin = try await client.login(adminEmail, "admin passphrase")
        #expect((admin.json["user"] as? [String: Any])?["role"] as? String == "ADMIN")
        let stats = try await client.call("GET", "/api/auth/upload-stats", token: admin.json["accessToken"] as? String)
        #expect(stats.status == 200)
        #expect((stats.json["totalUsers"] as? Int ?? 0) >= 2)
        #expect(stats.json["limit"] as? Int == 10)
        #expect(stats.json["averageUploads"] is Double || stats.json["averageUploads"] is Int)
    }
}
