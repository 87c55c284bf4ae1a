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
