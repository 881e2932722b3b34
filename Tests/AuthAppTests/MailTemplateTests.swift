import Foundation
import Testing
@testable import AuthApp

/// The built-in messages, the retry schedule and the mail settings, in process.
@Suite("Mail templates, retries and settings")
struct MailTemplateTests {
    @Test(arguments: MailTemplate.allCases)
    func everyTemplateNamesTheProductAndSaysWhatToDoWhenUnexpected(_ template: MailTemplate) {
        let values = MailTemplate.Values(name: "<img src=x onerror=alert(1)>", email: "ada@example.com",
                                         link: template == .emailChangeNotice ? nil : "https://app.example/x?token=a&b=\"c\"",
                                         newEmail: "new'@example.com", validFor: 1800)
        let rendered = template.render(values, product: "Acme & Co")
        #expect(rendered.subject.contains("Acme & Co"))
        #expect(rendered.text.contains("If "))
        #expect(rendered.text.contains("— Acme & Co"))
        #expect(rendered.html.contains("Acme &amp; Co"))
        #expect(!rendered.html.contains("<img"))
        #expect(rendered.html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        if template == .emailChangeNotice {
            #expect(!rendered.text.contains("http"))
        } else {
            #expect(rendered.text.contains("https://app.example/x?token=a&b=\"c\""))
            #expect(rendered.html.contains("href=\"https://app.example/x?token=a&amp;b=&quot;c&quot;\""))
            #expect(rendered.text.contains("30 minutes"))
        }
    }

    @Test func lifetimesReadAsHumanDurations() {
        #expect(HumanDuration.describe(seconds: 1) == "1 second")
        #expect(HumanDuration.describe(seconds: 90) == "90 seconds")
        #expect(HumanDuration.describe(seconds: 1800) == "30 minutes")
        #expect(HumanDuration.describe(seconds: 86400) == "24 hours")
        #expect(HumanDuration.describe(seconds: 3 * 86400) == "3 days")
    }

    @Test func retriesBackOffExponentiallyUpToAnHourWithSpread() {
        let schedule = RetrySchedule(base: 30)
        #expect(schedule.delay(afterAttempts: 1, spread: 0) == 30)
        #expect(schedule.delay(afterAttempts: 2, spread: 0) == 60)
        #expect(schedule.delay(afterAttempts: 5, spread: 0) == 480)
        #expect(schedule.delay(afterAttempts: 12, spread: 0) == 3600)
        #expect(schedule.delay(afterAttempts: 500, spread: 0) == 3600)
        #expect(schedule.delay(afterAttempts: 1, spread: 1) == 33)
        #expect(schedule.delay(afterAttempts: 1, spread: -1) == 27)
    }

    @Test func mailSettingsHaveTheContractsDefaultsAndAreChecked() throws {
        let defaults = try AppConfiguration { _ in nil }
        #expect(defaults.email.smtpURL == nil)
        #expect(defaults.email.from.description == "authserver <no-reply@localhost>")
        #expect(defaults.email.passwordResetTTL == 1800 && defaults.email.verificationTTL == 86400)
        #expect(!defaults.email.requireVerification)
        #expect(defaults.email.productName == "authserver")

        let values = ["SMTP_URL": "smtps://apikey:s3cret@smtp.example.com", "MAIL_FROM": "\"Acme, Inc.\" <no-reply@acme.example>",
                      "PASSWORD_RESET_TTL": "2s", "EMAIL_VERIFICATION_TTL": "1h", "REQUIRE_EMAIL_VERIFICATION": "true"]
        let configured = try AppConfiguration { values[$0] }
        #expect(configured.email.productName == "Acme, Inc.")
        #expect(configured.email.passwordResetTTL == 2 && configured.email.verificationTTL == 3600 && configured.email.requireVerification)
        #expect(try configured.email.transport(extraCAFile: nil)?.description == "smtps://apikey@smtp.example.com:465")

        let wrong = ["SMTP_URL": "http://smtp.example.com", "MAIL_FROM": "no address", "EXTRA_CA_FILE": "/nonexistent/ca.pem",
                     "PASSWORD_RESET_TTL": "0"]
        #expect {
            try AppConfiguration { wrong[$0] }
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            return problems.count == 3 && problems.contains { $0.hasPrefix("MAIL_FROM=no address") }
                && problems.contains { $0.hasPrefix("PASSWORD_RESET_TTL=0") }
                && problems.contains { $0.contains("/nonexistent/ca.pem") }
        }
        let badURL = ["SMTP_URL": "http://smtp.example.com"]
        #expect {
            try AppConfiguration { badURL[$0] }
        } throws: { error in
            (error as? ConfigurationError)?.problems.contains { $0.contains("SMTP_URL scheme http") } ?? false
        }
    }
}
