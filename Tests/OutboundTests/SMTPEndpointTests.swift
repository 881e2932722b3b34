@testable import Outbound
import Testing

@Suite struct SMTPEndpointTests {
    @Test func securityFollowsSchemeAndHost() throws {
        let submission = try SMTPEndpoint(url: "smtp://user:pass@mail.example.com:587")
        #expect(submission.security == .startTLSRequired)
        #expect(submission.curlURL == "smtp://mail.example.com:587")

        let submissions = try SMTPEndpoint(url: "smtps://apikey:SECRET@smtp.sendgrid.net:465")
        #expect(submissions.security == .implicitTLS)
        #expect(submissions.curlURL == "smtps://smtp.sendgrid.net:465")

        for url in ["smtp://localhost:1025", "smtp://127.0.0.1", "smtp://127.8.9.10:25", "smtp://[::1]:2525"] {
            #expect(try SMTPEndpoint(url: url).security == .startTLSIfOffered, "\(url)")
        }
    }

    @Test func portsDefaultToSubmissionAndSubmissions() throws {
        #expect(try SMTPEndpoint(url: "smtp://mail.example.com").port == 587)
        #expect(try SMTPEndpoint(url: "smtps://mail.example.com").port == 465)
    }

    @Test func credentialsArePercentDecodedAndOptional() throws {
        let endpoint = try SMTPEndpoint(url: "smtps://me%40example.com:p%40ss%2Fw%3Ard@mail.example.com")
        #expect(endpoint.credentials?.username == "me@example.com")
        #expect(endpoint.credentials?.password == "p@ss/w:rd")
        #expect(try SMTPEndpoint(url: "smtp://relay.internal:25").credentials == nil)
        #expect(try SMTPEndpoint(url: "smtp://user@relay.internal:25").credentials?.password == "")
    }
}
