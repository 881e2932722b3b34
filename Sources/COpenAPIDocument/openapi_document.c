#include "openapi_document.h"

// The contract compiled into the binary: a deployed server serves it with no file beside it,
// and the executable needs no resource bundle (whose accessor would link all of Foundation).
#pragma clang diagnostic ignored "-Wc23-extensions"
static const unsigned char document[] = {
#embed "openapi.json"
};

const unsigned char *openapi_document_bytes(void) { return document; }
unsigned long openapi_document_count(void) { return sizeof document; }
