#ifndef CLIBCRYPTO_H
#define CLIBCRYPTO_H

// bcrypt drives Blowfish's raw block function over its own key schedule (BF_KEY, BF_encrypt).
// OpenSSL 3 deprecates that low-level API in favour of EVP, which hides the key schedule, so
// there is no replacement; silence the deprecation rather than warn on every use.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <openssl/bio.h>
#include <openssl/blowfish.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#endif
