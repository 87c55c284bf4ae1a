package api

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes every route the mock answers, with the real
// envelope and error bodies. Tests validate every response of the API test
// suite against it, and check its IntegrationResponseDto against Novu's.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the mock's OpenAPI 3 document (a copy).
func OpenAPIDocument() []byte { return append([]byte(nil), openAPIDocument...) }

func (s *Handler) openAPI(*request) (answer, error) {
	return raw(http.StatusOK, contentTypeJSON, openAPIDocument), nil
}
