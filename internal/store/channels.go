package store

import (
	"encoding/json"
	"slices"
)

// This file holds the records of Novu's channel connections and channel
// endpoints and their per-environment indexes. The rules that make and
// change them are in connections.go and endpoints.go; cursor paging, which
// both lists share, in paging.go.

// Connection is a channel connection: a workspace-level credential (a
// Slack bot token, an MS Teams tenant) for one integration of an
// environment, owned by a subscriber or shared by a context. It always
// names a live integration of its environment: deleting, moving or
// renaming the integration takes its connections along (see Delete and
// Update).
type Connection struct {
	// Cursor is the record's internal ObjectId: its place in cursor paging,
	// increasing with creation. Novu's answers show it only as a paging
	// cursor.
	Cursor                string `json:"_id"`
	EnvironmentID         string `json:"_environmentId"`
	Identifier            string `json:"identifier"`
	IntegrationIdentifier string `json:"integrationIdentifier"`
	// ProviderID and Channel are copied from the integration when the
	// connection is made; Channel is "" when the integration has none.
	ProviderID string  `json:"providerId"`
	Channel    Channel `json:"channel,omitempty"`
	// SubscriberID is "" for a shared connection.
	SubscriberID string `json:"subscriberId,omitempty"`
	// ContextKeys are the "type:id" keys of its context, sorted; never nil
	// in a record the store hands out.
	ContextKeys []string  `json:"contextKeys"`
	Workspace   Workspace `json:"workspace"`
	Auth        Auth      `json:"auth"`
	CreatedAt   Time      `json:"createdAt"`
	UpdatedAt   Time      `json:"updatedAt"`
}

// Workspace is the provider workspace or tenant a connection reaches.
type Workspace struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	BotUserID string `json:"botUserId,omitempty"`
}

// Auth is a connection's credential. Novu never echoes it (the API shows
// an empty accessToken); only the state export holds it.
type Auth struct {
	AccessToken           string `json:"accessToken"`
	RefreshToken          string `json:"refreshToken,omitempty"`
	ExpiresAt             string `json:"expiresAt,omitempty"`
	RefreshTokenExpiresAt string `json:"refreshTokenExpiresAt,omitempty"`
}

// Mode returns the connection mode Novu shows: "subscriber" when a
// subscriber owns it, else "shared".
func (c Connection) Mode() string {
	if c.SubscriberID != "" {
		return ModeSubscriber
	}
	return ModeShared
}

// The connection modes.
const (
	ModeSubscriber = "subscriber"
	ModeShared     = "shared"
)

// EndpointType is one of Novu's 14 channel endpoint types (see
// validate.EndpointTypes, which owns the list and the shape of each).
type EndpointType string

// The endpoint types the store's rules name.
const (
	EndpointSlackUser      EndpointType = "slack_user"
	EndpointMSTeamsUser    EndpointType = "ms_teams_user"
	EndpointWebexRoom      EndpointType = "webex_room"
	EndpointWebexPerson    EndpointType = "webex_person"
	EndpointPagerDuty      EndpointType = "pagerduty_service"
	EndpointOpsgenie       EndpointType = "opsgenie_integration"
	EndpointGrafanaOnCall  EndpointType = "grafana_oncall_integration"
	EndpointToolWebhook    EndpointType = "tool_webhook"
	EndpointTelegramChat   EndpointType = "telegram_chat"
	EndpointSlackChannel   EndpointType = "slack_channel"
	EndpointMSTeamsChannel EndpointType = "ms_teams_channel"
)

// Endpoint is a channel endpoint: where one subscriber is reached through
// one integration (a Slack user, a phone number, a PagerDuty service). Like
// a connection, it always names a live integration of its environment. Its
// ConnectionIdentifier may outlive the connection: deleting a connection
// leaves its endpoints, as Novu does.
type Endpoint struct {
	Cursor                string       `json:"_id"`
	EnvironmentID         string       `json:"_environmentId"`
	Identifier            string       `json:"identifier"`
	IntegrationIdentifier string       `json:"integrationIdentifier"`
	ConnectionIdentifier  string       `json:"connectionIdentifier,omitempty"`
	ProviderID            string       `json:"providerId"`
	Channel               Channel      `json:"channel,omitempty"`
	SubscriberID          string       `json:"subscriberId"`
	ContextKeys           []string     `json:"contextKeys"`
	Type                  EndpointType `json:"type"`
	// Endpoint is stored and returned as given, secrets included (Novu's
	// convention: clients mask).
	Endpoint  Object `json:"endpoint"`
	CreatedAt Time   `json:"createdAt"`
	UpdatedAt Time   `json:"updatedAt"`
}

// clone returns a copy that shares nothing that can change.
func (c Connection) clone() Connection {
	c.ContextKeys = append([]string{}, c.ContextKeys...)
	return c
}

func (e Endpoint) clone() Endpoint {
	e.ContextKeys = append([]string{}, e.ContextKeys...)
	return e
}

func keysSize(keys []string) int {
	n := 0
	for _, k := range keys {
		n += len(k) + 16
	}
	return n
}

// size is what a connection counts against the store's byte bound (its
// cursor is part of the fixed overhead).
func (c *Connection) size() int64 {
	return int64(recordOverhead + len(c.Identifier) + len(c.IntegrationIdentifier) + len(c.ProviderID) +
		len(c.SubscriberID) + keysSize(c.ContextKeys) + len(c.Workspace.ID) + len(c.Workspace.Name) + len(c.Workspace.BotUserID) +
		len(c.Auth.AccessToken) + len(c.Auth.RefreshToken) + len(c.Auth.ExpiresAt) + len(c.Auth.RefreshTokenExpiresAt))
}

// size is what an endpoint counts against the store's byte bound.
func (e *Endpoint) size() int64 {
	return int64(recordOverhead + len(e.Identifier) + len(e.IntegrationIdentifier) + len(e.ConnectionIdentifier) +
		len(e.ProviderID) + len(e.SubscriberID) + keysSize(e.ContextKeys) + len(e.Type) + len(e.Endpoint))
}

// channelState is an environment's connections and endpoints, in creation
// order, with the indexes their uniqueness rules look up.
type channelState struct {
	conns []*Connection
	// connIDs indexes connections by identifier, unique per environment.
	connIDs map[string]*Connection
	// connSlots indexes connections by integration, subscriber and context
	// keys: Novu allows one connection per such slot.
	connSlots map[string]*Connection
	ends      []*Endpoint
	endIDs    map[string]*Endpoint
	// uniqueSlots indexes the endpoints of the types Novu's unique index
	// guards (PagerDuty, Opsgenie) by integration, subscriber and type: one
	// each.
	uniqueSlots map[string]*Endpoint
}

func newChannelState() channelState {
	return channelState{connIDs: map[string]*Connection{}, connSlots: map[string]*Connection{},
		endIDs: map[string]*Endpoint{}, uniqueSlots: map[string]*Endpoint{}}
}

// slotKey encodes a tuple of strings without ambiguity (any byte may
// appear in them), for the slot indexes.
func slotKey(parts ...any) string {
	raw, _ := json.Marshal(parts) // strings and string slices always encode
	return string(raw)
}

func connSlot(integration, subscriber string, keys []string) string {
	if keys == nil {
		keys = []string{} // no context, however the caller says it
	}
	return slotKey(integration, subscriber, keys)
}

func (c *Connection) slot() string {
	return connSlot(c.IntegrationIdentifier, c.SubscriberID, c.ContextKeys)
}

func uniqueSlot(integration, subscriber string, t EndpointType) string {
	return slotKey(integration, subscriber, string(t))
}

func (cs *channelState) addConn(c *Connection) {
	cs.conns = append(cs.conns, c)
	cs.indexConn(c)
}

func (cs *channelState) indexConn(c *Connection) {
	cs.connIDs[c.Identifier] = c
	cs.connSlots[c.slot()] = c
}

func (cs *channelState) unindexConn(c *Connection) {
	if cs.connIDs[c.Identifier] == c {
		delete(cs.connIDs, c.Identifier)
	}
	if cs.connSlots[c.slot()] == c {
		delete(cs.connSlots, c.slot())
	}
}

func (cs *channelState) removeConn(c *Connection) {
	cs.conns = slices.DeleteFunc(cs.conns, func(x *Connection) bool { return x == c })
	cs.unindexConn(c)
}

func (cs *channelState) addEnd(e *Endpoint) {
	cs.ends = append(cs.ends, e)
	cs.indexEnd(e)
}

func (cs *channelState) indexEnd(e *Endpoint) {
	cs.endIDs[e.Identifier] = e
	if e.Type.unique() {
		cs.uniqueSlots[uniqueSlot(e.IntegrationIdentifier, e.SubscriberID, e.Type)] = e
	}
}

func (cs *channelState) unindexEnd(e *Endpoint) {
	if cs.endIDs[e.Identifier] == e {
		delete(cs.endIDs, e.Identifier)
	}
	if key := uniqueSlot(e.IntegrationIdentifier, e.SubscriberID, e.Type); cs.uniqueSlots[key] == e {
		delete(cs.uniqueSlots, key)
	}
}

func (cs *channelState) removeEnd(e *Endpoint) {
	cs.ends = slices.DeleteFunc(cs.ends, func(x *Endpoint) bool { return x == e })
	cs.unindexEnd(e)
}

// dropIntegration removes every connection and endpoint of an integration
// (Novu's cascade on delete).
func (cs *channelState) dropIntegration(identifier string) {
	cs.conns = slices.DeleteFunc(cs.conns, func(c *Connection) bool {
		if c.IntegrationIdentifier != identifier {
			return false
		}
		cs.unindexConn(c)
		return true
	})
	cs.ends = slices.DeleteFunc(cs.ends, func(e *Endpoint) bool {
		if e.IntegrationIdentifier != identifier {
			return false
		}
		cs.unindexEnd(e)
		return true
	})
}

// bytesOf returns the bytes the connections and endpoints of an
// integration hold: what dropIntegration frees.
func (cs *channelState) bytesOf(identifier string) int64 {
	var n int64
	for _, c := range cs.conns {
		if c.IntegrationIdentifier == identifier {
			n += c.size()
		}
	}
	for _, e := range cs.ends {
		if e.IntegrationIdentifier == identifier {
			n += e.size()
		}
	}
	return n
}

// renameIntegration makes the connections and endpoints of an integration
// follow a change of its identifier.
func (cs *channelState) renameIntegration(from, to string) {
	for _, c := range cs.conns {
		if c.IntegrationIdentifier == from {
			cs.unindexConn(c)
			c.IntegrationIdentifier = to
			cs.indexConn(c)
		}
	}
	for _, e := range cs.ends {
		if e.IntegrationIdentifier == from {
			cs.unindexEnd(e)
			e.IntegrationIdentifier = to
			cs.indexEnd(e)
		}
	}
}

// renameGrowth is what renameIntegration would add, without changing
// anything.
func (cs *channelState) renameGrowth(from, to string) int64 {
	n := int64(0)
	for _, c := range cs.conns {
		if c.IntegrationIdentifier == from {
			n++
		}
	}
	for _, e := range cs.ends {
		if e.IntegrationIdentifier == from {
			n++
		}
	}
	return n * int64(len(to)-len(from))
}
