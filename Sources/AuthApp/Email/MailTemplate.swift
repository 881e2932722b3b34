import JSON
import Outbound

/// The built-in messages. Each names the product, says what the link does and how long it
/// works, and what to do when the mail was not expected. Every value is plain text: the HTML
/// part escapes all of them (names and addresses come from users), links included.
enum MailTemplate: String, Sendable, CaseIterable {
    /// To a new account's address, and again on resend: the link proves the mailbox.
    case verification = "email_verification"
    case passwordReset = "password_reset"
    /// To the address an account asked to move to: the link makes the change.
    case emailChange = "email_change"
    /// To the address an account is moving away from: no link, a warning.
    case emailChangeNotice = "email_change_notice"

    /// What the outbox row carries for the template (`params`), all optional text but
    /// `validFor`: the account's name and address, the link, the new address of a change.
    struct Values: Sendable {
        var name: String?
        var email: String?
        var link: String?
        var newEmail: String?
        /// Seconds the link stays valid.
        var validFor: Int?

        init(name: String? = nil, email: String? = nil, link: String? = nil, newEmail: String? = nil, validFor: Int? = nil) {
            self.name = name
            self.email = email
            self.link = link
            self.newEmail = newEmail
            self.validFor = validFor
        }

        init(json: [String: JSONValue]) {
            name = json["name"]?.stringValue
            email = json["email"]?.stringValue
            link = json["link"]?.stringValue
            newEmail = json["newEmail"]?.stringValue
            if case .number(let seconds)? = json["validFor"] { validFor = Int(seconds) }
        }

        /// The JSON the outbox stores; `name` and `email` are left to the statement that
        /// queues the mail when it reads them from the account row.
        var json: [UInt8] {
            var json = JSONWriter(capacity: 256)
            json.beginObject()
            if let name { json.member("name", name) }
            if let email { json.member("email", email) }
            if let link { json.member("link", link) }
            if let newEmail { json.member("newEmail", newEmail) }
            if let validFor { json.member("validFor", validFor) }
            json.endObject()
            return json.bytes
        }
    }

    struct Rendered: Sendable {
        let subject: String
        let text: String
        let html: String
    }

    func render(_ values: Values, product: String) -> Rendered {
        let account = values.email ?? "your account"
        let validity = values.validFor.map { "The link works once, within \(HumanDuration.describe(seconds: $0))." }
        let copy: Copy = switch self {
        case .verification:
            Copy(subject: "Verify your email address for \(product)",
                 paragraphs: ["Please confirm that \(account) is your address: open the link below."],
                 action: values.link.map { ("Verify my email address", $0) }, validity: validity,
                 unexpected: "If you did not sign up for \(product), ignore this message: nothing happens unless the link is opened.")
        case .passwordReset:
            Copy(subject: "Reset your \(product) password",
                 paragraphs: ["Someone, hopefully you, asked to reset the password of the \(product) account for \(account). "
                              + "Open the link below to choose a new one; every device signed in to the account will be signed out."],
                 action: values.link.map { ("Choose a new password", $0) }, validity: validity,
                 unexpected: "If you did not ask for this, ignore this message: your password stays as it is.")
        case .emailChange:
            Copy(subject: "Confirm your new email address for \(product)",
                 paragraphs: ["The \(product) account \(account) asked to use \(values.newEmail ?? "this address") from now on. "
                              + "Open the link below to confirm; the change happens only then."],
                 action: values.link.map { ("Confirm my new address", $0) }, validity: validity,
                 unexpected: "If you did not ask for this, ignore this message: nothing changes unless the link is opened.")
        case .emailChangeNotice:
            Copy(subject: "Your \(product) email address is about to change",
                 paragraphs: ["Someone signed in to the \(product) account \(account) asked to change its address to "
                              + "\(values.newEmail ?? "another one"). It changes only once the link mailed to that address is opened."],
                 action: nil, validity: nil,
                 unexpected: "If this was not you, change your password now: someone else may be using your account.")
        }
        return copy.rendered(greeting: values.name.map { "Hello \($0)," } ?? "Hello,", product: product)
    }

    /// One message's text, laid out once for both parts.
    private struct Copy {
        let subject: String
        let paragraphs: [String]
        let action: (label: String, link: String)?
        let validity: String?
        let unexpected: String

        func rendered(greeting: String, product: String) -> Rendered {
            var text = [greeting] + paragraphs
            if let action { text.append(action.link) }
            if let validity { text.append(validity) }
            text += [unexpected, "— \(product)"]

            var html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(HTML.escape(subject))</title></head>\n"
                + "<body style=\"font-family: sans-serif; line-height: 1.5; color: #222;\">\n"
                + "<p>\(HTML.escape(greeting))</p>\n"
            for paragraph in paragraphs { html += "<p>\(HTML.escape(paragraph))</p>\n" }
            if let action {
                let link = HTML.escape(action.link)
                html += "<p><a href=\"\(link)\" style=\"display: inline-block; padding: 10px 16px; background: #1a56db; color: #fff; "
                    + "text-decoration: none; border-radius: 4px;\">\(HTML.escape(action.label))</a></p>\n"
                    + "<p style=\"font-size: 90%;\">Or copy this link into your browser: \(link)</p>\n"
            }
            if let validity { html += "<p>\(HTML.escape(validity))</p>\n" }
            html += "<p style=\"color: #555;\">\(HTML.escape(unexpected))</p>\n<p>— \(HTML.escape(product))</p>\n</body></html>\n"
            return Rendered(subject: subject, text: text.joined(separator: "\n\n") + "\n", html: html)
        }
    }
}

/// "30 minutes", "24 hours", "2 days": how long a link works, in the largest whole unit.
enum HumanDuration {
    static func describe(seconds: Int) -> String {
        let units = [(86400 * 2, 86400, "day"), (3600, 3600, "hour"), (60, 60, "minute")]
        for (threshold, size, name) in units where seconds >= threshold && seconds % size == 0 {
            return plural(seconds / size, name)
        }
        return plural(seconds, "second")
    }

    private static func plural(_ count: Int, _ unit: String) -> String {
        "\(count) \(unit)\(count == 1 ? "" : "s")"
    }
}
