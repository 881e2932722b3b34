import Testing

/// Tests that hash at real bcrypt costs (12 and more) on purpose, run one after another: each
/// takes the cores for a while, and the login flood's latency bound must measure its own flood,
/// not another test's hashing.
@Suite(.serialized) enum BcryptHeavyTests {}
