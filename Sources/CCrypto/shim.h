#pragma once
// OpenSSL's libcrypto, for SHA-256 only: the digests registries name their blobs by.
#include <openssl/evp.h>
