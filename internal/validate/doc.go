// Package validate is the one owner of what a valid request value is and
// of the words used when it is not: the rules of Novu's request DTOs and
// class-validator's messages ("providerId must be a string"), the shape of
// the free-form parts of an integration (credentials, configurations,
// conditions), the API-key rule, and the size and depth bounds of stored
// values.
//
// The API checks request bodies with it and the store checks loaded
// datasets with it, so a record that one accepts the other accepts too. It
// knows nothing of HTTP or of the store: it takes decoded JSON values and
// returns messages.
package validate
