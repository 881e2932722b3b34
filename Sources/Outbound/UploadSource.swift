import CLibCurl

/// Bytes that libcurl uploads (an SMTP message), handed out through CURLOPT_READFUNCTION.
final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Copies up to `capacity` further bytes into `buffer`; 0 once all are sent.
    fileprivate func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

extension CurlEasy {
    /// Makes the transfer an upload of `bytes`.
    func upload(_ bytes: [UInt8]) {
        set(CURLOPT_UPLOAD, 1)
        set(CURLOPT_INFILESIZE_LARGE, offset: Int64(bytes.count))
        set(CURLOPT_READDATA, context: UploadSource(bytes))
        set(CURLOPT_READFUNCTION) { buffer, size, count, context in
            guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
            return Unmanaged<UploadSource>.fromOpaque(context).takeUnretainedValue().read(into: buffer, capacity: size * count)
        }
    }
}
