package store

import (
	"errors"
	"fmt"
	"slices"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/providers"
	"github.com/novumock/novumock/internal/validate"
)

// Loading channel connections and endpoints: the part of build that checks
// them whole, with the rules the API applies to them, so that whatever a
// dataset holds could have been made through the API.

// maxChannelRecord bounds what one loaded connection or endpoint may count
// (see size): what one request body can carry, plus the fixed overhead and
// what the store adds (a generated identifier, the provider id copied from
// the integration, the overhead of each context key), so that whatever the
// API made loads again.
const maxChannelRecord = validate.MaxRecordBytes + recordOverhead + 4096

// buildChannels checks and indexes the connections and endpoints of a
// dataset into st, whose integrations are built already.
func buildChannels(st *state, ds Dataset, bounds Limits) error {
	cursors := map[string]bool{}
	for i, in := range ds.ChannelConnections {
		c := in.clone()
		at := fmt.Sprintf("channelConnections[%d] (identifier %q)", i, c.Identifier)
		if err := checkID(c.Cursor); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if cursors[c.Cursor] {
			return fmt.Errorf("%s: _id %s is used twice", at, c.Cursor)
		}
		cursors[c.Cursor] = true
		e, it, err := channelTarget(st, c.EnvironmentID, c.IntegrationIdentifier, &c.ProviderID, &c.Channel)
		if err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if err := checkChannelRecord(c.Identifier, c.SubscriberID, &c.ContextKeys, &c.CreatedAt, &c.UpdatedAt); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if _, dup := e.channels.connIDs[c.Identifier]; dup {
			return fmt.Errorf("%s: identifier is used twice in environment %s", at, e.ID)
		}
		if other, dup := e.channels.connSlots[c.slot()]; dup {
			return fmt.Errorf("%s: connection %q already holds integration %q, subscriber %q and context %v", at,
				other.Identifier, it.Identifier, c.SubscriberID, c.ContextKeys)
		}
		if c.Auth.RefreshToken != "" && !providers.RotatesTokens(it.ProviderID) {
			return fmt.Errorf("%s: auth.refreshToken: token rotation is not supported for provider %q", at, it.ProviderID)
		}
		if c.size() > maxChannelRecord {
			return fmt.Errorf("%s: the record counts %d bytes, more than the %d one request can make", at, c.size(), maxChannelRecord)
		}
		if err := roomIn(bounds, e, limits.ChannelConnections, 1); err != nil {
			return err
		}
		e.channels.addConn(&c)
		if err := st.grow(c.size(), bounds); err != nil {
			return err
		}
		st.lastCursor = max(st.lastCursor, c.Cursor)
	}
	clear(cursors)
	for i, in := range ds.ChannelEndpoints {
		x := in.clone()
		at := fmt.Sprintf("channelEndpoints[%d] (identifier %q)", i, x.Identifier)
		if err := checkID(x.Cursor); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if cursors[x.Cursor] {
			return fmt.Errorf("%s: _id %s is used twice", at, x.Cursor)
		}
		cursors[x.Cursor] = true
		e, it, err := channelTarget(st, x.EnvironmentID, x.IntegrationIdentifier, &x.ProviderID, &x.Channel)
		if err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if err := checkChannelRecord(x.Identifier, x.SubscriberID, &x.ContextKeys, &x.CreatedAt, &x.UpdatedAt); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if err := checkEndpointRecord(&x, it); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if _, dup := e.channels.endIDs[x.Identifier]; dup {
			return fmt.Errorf("%s: identifier is used twice in environment %s", at, e.ID)
		}
		if _, dup := e.channels.uniqueSlots[uniqueSlot(x.IntegrationIdentifier, x.SubscriberID, x.Type)]; dup && x.Type.unique() {
			return fmt.Errorf("%s: subscriber %q has a %s endpoint on integration %q already", at, x.SubscriberID, x.Type, it.Identifier)
		}
		if err := roomIn(bounds, e, limits.ChannelEndpoints, 1); err != nil {
			return err
		}
		e.channels.addEnd(&x)
		if err := st.grow(x.size(), bounds); err != nil {
			return err
		}
		st.lastCursor = max(st.lastCursor, x.Cursor)
	}
	return nil
}

// grow counts a loaded record against the byte bound.
func (st *state) grow(n int64, bounds Limits) error {
	st.bytes += n
	if b := bounds.Bytes; b > 0 && st.bytes > b {
		return errs.Reached(limits.Bytes, b, "")
	}
	return nil
}

// channelTarget finds the environment and live integration a loaded
// connection or endpoint names, and fills or checks the provider and
// channel it copies from the integration.
func channelTarget(st *state, envID, identifier string, providerID *string, channel *Channel) (*envState, Integration, error) {
	e, ok := st.envs[envID]
	if !ok {
		return nil, Integration{}, fmt.Errorf("_environmentId %q names no environment of the dataset", envID)
	}
	it, _, ok := e.liveIntegration(identifier)
	if !ok {
		return nil, Integration{}, fmt.Errorf("integrationIdentifier %q names no live integration of environment %s", identifier, envID)
	}
	if *providerID == "" {
		*providerID = it.ProviderID
	}
	if *channel == "" {
		*channel = it.Channel
	}
	if *providerID != it.ProviderID || *channel != it.Channel {
		return nil, Integration{}, fmt.Errorf("providerId %q and channel %q are not those of integration %q (%q, %q)",
			*providerID, *channel, identifier, it.ProviderID, it.Channel)
	}
	return e, it, nil
}

// checkChannelRecord checks what connections and endpoints share, and
// normalises their context keys (sorted, never nil) and times (UTC).
func checkChannelRecord(identifier, subscriberID string, keys *[]string, created, updated *Time) error {
	if identifier == "" {
		return errors.New("identifier is empty")
	}
	for _, f := range []struct{ name, value string }{{"identifier", identifier}, {"subscriberId", subscriberID}} {
		if err := checkText(f.name, f.value); err != nil {
			return err
		}
	}
	if *keys == nil {
		*keys = []string{}
	}
	if len(*keys) > validate.MaxContexts {
		return fmt.Errorf("contextKeys: %d keys, at most %d", len(*keys), validate.MaxContexts)
	}
	for _, k := range *keys {
		if !validate.ContextKey(k) {
			return fmt.Errorf("contextKeys: %q is not a context key (type:id, the id 1 to 100 of [a-zA-Z0-9_-])", k)
		}
	}
	slices.Sort(*keys)
	if len(slices.Compact(slices.Clone(*keys))) != len(*keys) {
		return fmt.Errorf("contextKeys: %v holds a key twice", *keys)
	}
	if created.IsZero() || updated.IsZero() {
		return errors.New("createdAt and updatedAt are required")
	}
	*created, *updated = At(created.Time), At(updated.Time)
	return nil
}

// checkEndpointRecord checks an endpoint against its type.
func checkEndpointRecord(x *Endpoint, it Integration) error {
	if !slices.Contains(validate.EndpointTypes, string(x.Type)) {
		return fmt.Errorf("type %q: %s", x.Type, validate.Enum("type", validate.EndpointTypes))
	}
	// An empty subscriberId is kept: Novu's endpoint create skips the
	// subscriber check for one (assertSubscriberExists), and so does the
	// mock.
	if err := validate.Depth([]byte(x.Endpoint)); err != nil {
		return err
	}
	if err := checkEndpointShape(x.Type, x.Endpoint.Map()); err != nil {
		return fmt.Errorf("endpoint: %w", err)
	}
	if need, ok := endpointNeeds[x.Type]; ok && it.ProviderID != need.provider {
		return fmt.Errorf("type %q needs %s integration, and %q is %q", x.Type, need.article, it.Identifier, it.ProviderID)
	}
	if x.Type.webex() && x.ConnectionIdentifier == "" {
		return fmt.Errorf("type %q needs a connectionIdentifier", x.Type)
	}
	if x.Type.tool() {
		x.ConnectionIdentifier = "" // a file written before tool types stopped naming one (contract J1)
	}
	if err := checkText("connectionIdentifier", x.ConnectionIdentifier); err != nil {
		return err
	}
	if x.size() > maxChannelRecord {
		return fmt.Errorf("the record counts %d bytes, more than the %d one request can make", x.size(), maxChannelRecord)
	}
	return nil
}

// appendChannels appends copies of an environment's connections and
// endpoints to a dataset, in creation order.
func (ds *Dataset) appendChannels(e *envState) {
	for _, c := range e.channels.conns {
		ds.ChannelConnections = append(ds.ChannelConnections, c.clone())
	}
	for _, x := range e.channels.ends {
		ds.ChannelEndpoints = append(ds.ChannelEndpoints, x.clone())
	}
}

// pruneChannels drops, in the given environments of a dataset, the
// connections and endpoints whose integration is no longer live there (an
// environment reset took it back).
func (ds *Dataset) pruneChannels(envs map[string]bool) {
	live := map[[2]string]bool{}
	for _, it := range ds.Integrations {
		if envs[it.EnvironmentID] && !it.Deleted {
			live[[2]string{it.EnvironmentID, it.Identifier}] = true
		}
	}
	ds.ChannelConnections = slices.DeleteFunc(ds.ChannelConnections, func(c Connection) bool {
		return envs[c.EnvironmentID] && !live[[2]string{c.EnvironmentID, c.IntegrationIdentifier}]
	})
	ds.ChannelEndpoints = slices.DeleteFunc(ds.ChannelEndpoints, func(x Endpoint) bool {
		return envs[x.EnvironmentID] && !live[[2]string{x.EnvironmentID, x.IntegrationIdentifier}]
	})
}

// checkChannels is Check's part for connections and endpoints: indexes
// true to the records, every record naming a live integration of its
// environment. It returns the bytes they hold.
func (e *envState) checkChannels() (int64, error) {
	var bytes int64
	cs := &e.channels
	for _, c := range cs.conns {
		if c.EnvironmentID != e.ID || cs.connIDs[c.Identifier] != c || cs.connSlots[c.slot()] != c {
			return 0, fmt.Errorf("environment %s: connection %s is not indexed", e.ID, c.Identifier)
		}
		if _, _, ok := e.liveIntegration(c.IntegrationIdentifier); !ok {
			return 0, fmt.Errorf("environment %s: connection %s names no live integration (%s)", e.ID, c.Identifier, c.IntegrationIdentifier)
		}
		bytes += c.size()
	}
	for _, x := range cs.ends {
		if x.EnvironmentID != e.ID || cs.endIDs[x.Identifier] != x {
			return 0, fmt.Errorf("environment %s: endpoint %s is not indexed", e.ID, x.Identifier)
		}
		if _, _, ok := e.liveIntegration(x.IntegrationIdentifier); !ok {
			return 0, fmt.Errorf("environment %s: endpoint %s names no live integration (%s)", e.ID, x.Identifier, x.IntegrationIdentifier)
		}
		bytes += x.size()
	}
	unique := 0
	for _, x := range cs.ends {
		if x.Type.unique() {
			unique++
		}
	}
	if len(cs.connIDs) != len(cs.conns) || len(cs.connSlots) != len(cs.conns) || len(cs.endIDs) != len(cs.ends) || len(cs.uniqueSlots) != unique {
		return 0, fmt.Errorf("environment %s: channel indexes hold stale entries", e.ID)
	}
	return bytes, nil
}
