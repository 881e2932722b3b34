import FuzzTargets

/// What libFuzzer calls with each input (FuzzEntry.main explains the entry points).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.run(SettingParsersTarget.self, data, size)
}

FuzzEntry.main(testOneInput)
