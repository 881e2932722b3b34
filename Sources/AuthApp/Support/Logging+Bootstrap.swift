import Logging

public enum LoggingSetup {
    /// Installs the configured format and level once, for the whole process.
    public static func bootstrap(format: AppConfiguration.LogFormat, level: String) {
        let level = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == .json
                ? JSONLogHandler(label: label)
                : StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
