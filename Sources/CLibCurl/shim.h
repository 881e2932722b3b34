#ifndef CLIBCURL_SHIM_H
#define CLIBCURL_SHIM_H

// libcurl's public API; pkg-config (`libcurl`) supplies the include path.
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call. Each wrapper
// below fixes the argument type that a family of options takes (curl_easy_setopt(3): long,
// curl_off_t, char *, a pointer, or a callback), so the type checker sees what libcurl reads.

static inline CURLcode clibcurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode clibcurl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// libcurl copies string options (except CURLOPT_POSTFIELDS, which this project never sets).
static inline CURLcode clibcurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Lists, buffers and callback contexts: libcurl keeps the pointer, so it must outlive the transfer.
static inline CURLcode clibcurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPT_READFUNCTION, CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION share this shape.
typedef size_t (*clibcurl_data_callback)(char *buffer, size_t size, size_t count, void *context);

static inline CURLcode clibcurl_setopt_data_callback(CURL *handle, CURLoption option, clibcurl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode clibcurl_setopt_debug_callback(CURL *handle, curl_debug_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, callback);
}

static inline CURLcode clibcurl_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode clibcurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
