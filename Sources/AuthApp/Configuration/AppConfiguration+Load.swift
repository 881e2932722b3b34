import Configuration
import SystemPackage

extension AppConfiguration {
    /// Reads the process environment, then `.env` in the working directory; the environment wins.
    public static func load(environmentFile: String = ".env") async throws -> AppConfiguration {
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(),
            try await EnvironmentVariablesProvider(environmentFilePath: FilePath(environmentFile), allowMissing: true),
        ])
        return try AppConfiguration { name in reader.string(forKey: ConfigKey(name), isSecret: name.contains("SECRET") || name == "SMTP_URL") }
    }
}
