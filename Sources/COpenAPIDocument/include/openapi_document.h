/// The OpenAPI document, `openapi.json` of this folder, as compiled into the binary.
const unsigned char *openapi_document_bytes(void);
unsigned long openapi_document_count(void);
