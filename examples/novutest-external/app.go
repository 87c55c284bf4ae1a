// Package app is a stand-in for an application that talks to Novu's
// integrations API: a module of its own, outside the novumock repository,
// tested with novutest (app_test.go) as any Go project would.
package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Notifier is the part of the app that sets up its Novu environment.
type Notifier struct {
	BaseURL, APIKey string
	HTTP            *http.Client
}

// EmailIdentifier is the identifier of the app's own email integration.
const EmailIdentifier = "app-email"

type integration struct {
	ID         string `json:"_id"`
	Identifier string `json:"identifier"`
}

// EnsureEmail makes sure the environment sends the app's email: if it has
// no integration named EmailIdentifier, it creates one (SendGrid, with the
// key) and makes it the email primary. It reports whether it made one.
func (n *Notifier) EnsureEmail(ctx context.Context, sendgridKey string) (bool, error) {
	var list struct {
		Data []integration `json:"data"`
	}
	if err := n.do(ctx, http.MethodGet, "/v1/integrations", nil, &list); err != nil {
		return false, err
	}
	for _, it := range list.Data {
		if it.Identifier == EmailIdentifier {
			return false, nil
		}
	}
	var made struct {
		Data integration `json:"data"`
	}
	body := map[string]any{"providerId": "sendgrid", "channel": "email", "identifier": EmailIdentifier, "active": true,
		"credentials": map[string]any{"apiKey": sendgridKey, "from": "hello@example.com", "senderName": "Example"}}
	if err := n.do(ctx, http.MethodPost, "/v1/integrations", body, &made); err != nil {
		return false, err
	}
	if err := n.do(ctx, http.MethodPost, "/v1/integrations/"+made.Data.ID+"/set-primary", nil, nil); err != nil {
		return false, err
	}
	return true, nil
}

func (n *Notifier) do(ctx context.Context, method, path string, in, out any) error {
	var body bytes.Buffer
	if in != nil {
		if err := json.NewEncoder(&body).Encode(in); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, n.BaseURL+path, &body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "ApiKey "+n.APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := n.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s", method, path, res.Status)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(res.Body).Decode(out)
}
