/// The access-token signer before it learned asymmetric keys; `HS256JWT(secret:issuer:audience:leeway:)`,
/// `sign`, `verify(_:now:)`, `issuer`, `audience` and `maximumTokenLength` work as they did.
@available(*, deprecated, renamed: "AccessTokenJWT")
public typealias HS256JWT = AccessTokenJWT
