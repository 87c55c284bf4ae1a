package providers

// ValueType is the JSON type Novu's CredentialsDto declares for a credential key.
type ValueType int

// The value types of credential keys.
const (
	String ValueType = iota
	Boolean
	Object
)

// credentialTypes lists every key of Novu's CredentialsDto that is not a
// string. Every other known key is a string (port included: Novu stores it as
// text).
var credentialTypes = map[string]ValueType{
	"secure":              Boolean,
	"requireTls":          Boolean,
	"ignoreTls":           Boolean,
	"hmac":                Boolean,
	"authenticateByToken": Boolean,
	"tlsOptions":          Object,
}

// knownCredentialKeys are the properties of Novu's CredentialsDto (OpenAPI
// document 3.15.0), in the order the DTO declares them.
var knownCredentialKeys = []string{
	"apiKey", "user", "secretKey", "domain", "password", "host", "port", "secure",
	"region", "accountSid", "messageProfileId", "token", "from", "senderName",
	"projectName", "applicationId", "clientId", "requireTls", "ignoreTls",
	"tlsOptions", "baseUrl", "webhookUrl", "redirectUrl", "hmac", "serviceAccount",
	"ipPoolName", "apiKeyRequestHeader", "secretKeyRequestHeader", "idPath",
	"datePath", "apiToken", "authenticateByToken", "authenticationTokenKey",
	"instanceId", "alertUid", "title", "imageUrl", "state", "externalLink",
	"channelId", "phoneNumberIdentification", "accessKey", "appSid", "senderId",
	"tenantId", "AppIOBaseUrl", "signingSecret", "outboundIntegrationId",
}

var knownCredential = func() map[string]bool {
	m := make(map[string]bool, len(knownCredentialKeys))
	for _, k := range knownCredentialKeys {
		m[k] = true
	}
	return m
}()

// CredentialType returns the declared type of a credential key, and whether
// Novu's CredentialsDto declares the key at all.
func CredentialType(key string) (ValueType, bool) {
	if !knownCredential[key] {
		return String, false
	}
	return credentialTypes[key], true
}

// secretCredentialKeys are the credential keys whose values are secrets,
// whatever the provider: Novu decides it by key, not by provider (the keys
// it encrypts at rest, secureCredentials in @novu/shared's
// consts/providers/credentials/secure-credentials.ts: apiKey, apiToken,
// secretKey, token, password, serviceAccount, signingSecret), so one rule
// per key marks every provider's table. The mock adds four whose values
// carry a secret although Novu stores them in clear, because the journal
// is readable without credentials: accessKey (MessageBird's access key,
// Azure's connection string), tlsOptions (may hold a private key),
// webhookUrl (a URL that carries its secret in its path, as a channel
// endpoint's does) and headers (an HTTP webhook's Authorization header).
var secretCredentialKeys = map[string]bool{
	"apiKey": true, "apiToken": true, "secretKey": true, "token": true, "password": true,
	"serviceAccount": true, "signingSecret": true,
	"accessKey": true, "tlsOptions": true, "webhookUrl": true, "headers": true,
}

// tableKeys are the credential keys of the provider table (filled by init
// in providers.go), which Novu's CredentialsDto may not all declare.
var tableKeys = map[string]bool{}

// CredentialSecret reports whether a credential key holds a secret (see
// secretCredentialKeys).
func CredentialSecret(key string) bool { return secretCredentialKeys[key] }

// SecretCredentialKeys returns the credential keys that hold secrets, for
// redaction that looks for them anywhere in a body.
func SecretCredentialKeys() []string {
	out := make([]string, 0, len(secretCredentialKeys))
	for k := range secretCredentialKeys {
		out = append(out, k)
	}
	return out
}

// CredentialShown reports whether the value of a credential key may be
// shown to a reader without credentials: a key that Novu's CredentialsDto
// or the provider table names (from, senderName, region…) and that holds
// no secret. Any other key is not (fail closed: a key nobody declared may
// hold anything). Keys are case-sensitive, as Novu's are.
func CredentialShown(key string) bool {
	return (knownCredential[key] || tableKeys[key]) && !secretCredentialKeys[key]
}
