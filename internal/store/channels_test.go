package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/novumock/novumock/internal/errs"
	"github.com/novumock/novumock/internal/limits"
	"github.com/novumock/novumock/internal/store"
)

// The store's rules for channel connections and endpoints, as a client of
// the store sees them.

const (
	orgID = "650000000000000000000001"
	envID = "650000000000000000000002"
)

var dev = store.Caller{OrganizationID: orgID, EnvironmentID: envID, UserID: "u1", Scoped: true}

// settableClock is a clock a test moves by hand.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *settableClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// channelStore is a store over validDataset (its slack integration is
// slack-0012) on a settable clock.
func channelStore(t *testing.T, limits store.Limits) (*store.Store, *settableClock) {
	t.Helper()
	clock := &settableClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	st := store.New(store.Options{Now: clock.Now, IDs: store.NewIDs(1), Limits: limits, AutoSubscribers: true})
	if err := st.Load(validDataset()); err != nil {
		t.Fatal(err)
	}
	return st, clock
}

func newConn(t *testing.T, st *store.Store, identifier, subscriber string) store.Connection {
	t.Helper()
	c, err := st.CreateConnection(dev, store.NewConnection{Identifier: identifier, IntegrationIdentifier: "slack-0012",
		SubscriberID: subscriber, Workspace: store.Workspace{ID: "T"}, Auth: store.Auth{AccessToken: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConnections_CursorIncreasesWhenTheClockStepsBack(t *testing.T) {
	st, clock := channelStore(t, store.Limits{})
	for i := range 6 {
		if i == 3 {
			clock.set(clock.Now().Add(-time.Hour))
		}
		newConn(t, st, fmt.Sprint("c", i), fmt.Sprint("s", i))
	}
	all := st.Connections(envID)
	for i := 1; i < len(all); i++ {
		if all[i].Cursor <= all[i-1].Cursor {
			t.Errorf("cursor %s of %s not after %s of %s", all[i].Cursor, all[i].Identifier, all[i-1].Cursor, all[i-1].Identifier)
		}
	}
	// Records made in one second sort in creation order: the cursor breaks
	// the tie.
	p, err := st.ListConnections(dev, store.ConnectionFilter{}, store.PageQuery{Limit: 10, Ascending: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := idsOf(p.Records); !slices.Equal(got, []string{"c3", "c4", "c5", "c0", "c1", "c2"}) {
		t.Errorf("ascending by createdAt = %v", got)
	}
	if err := st.Check(); err != nil {
		t.Error(err)
	}
}

func TestConnections_StoreReturnsCopies(t *testing.T) {
	st, _ := channelStore(t, store.Limits{})
	c, err := st.CreateConnection(dev, store.NewConnection{IntegrationIdentifier: "slack-0012", SubscriberID: "s",
		ContextKeys: []string{"tenant:a"}, Workspace: store.Workspace{ID: "T"}})
	if err != nil {
		t.Fatal(err)
	}
	c.ContextKeys[0] = "changed"
	for _, got := range [][]string{st.Connections(envID)[0].ContextKeys, st.Dataset().ChannelConnections[0].ContextKeys} {
		if got[0] != "tenant:a" {
			t.Errorf("a copy's change reached the store: %v", got)
		}
	}
	got, _ := st.Connection(dev, c.Identifier)
	got.ContextKeys[0] = "again"
	if st.Connections(envID)[0].ContextKeys[0] != "tenant:a" {
		t.Error("Connection handed out the store's slice")
	}
}

func TestChannels_LimitsCountBytes(t *testing.T) {
	st, _ := channelStore(t, store.Limits{})
	before := st.Counts().Bytes
	newConn(t, st, "c", "s")
	if _, err := st.CreateEndpoint(dev, store.NewEndpoint{IntegrationIdentifier: "slack-0012", SubscriberID: "s", Type: "phone",
		Endpoint: map[string]any{"phoneNumber": "+1"}}); err != nil {
		t.Fatal(err)
	}
	counts := st.Counts()
	if counts.Bytes <= before || counts.ChannelConnections != 1 || counts.ChannelEndpoints != 1 {
		t.Errorf("counts = %+v, before %d bytes", counts, before)
	}
	// A store with no room for one more record refuses it, naming the bound.
	tight, _ := channelStore(t, store.Limits{Bytes: before + 600}) // the connection and its subscriber fit
	newConn(t, tight, "c", "s")
	_, err := tight.CreateEndpoint(dev, store.NewEndpoint{IntegrationIdentifier: "slack-0012", SubscriberID: "s", Type: "phone",
		Endpoint: map[string]any{"phoneNumber": strings.Repeat("1", 500)}})
	var le *errs.Error
	if !errors.As(err, &le) || le.Bound == nil || le.Bound.Resource != limits.Bytes {
		t.Errorf("err = %v, want the byte bound", err)
	}
	if err := tight.Check(); err != nil {
		t.Error(err)
	}
}

func TestChannels_DeleteTakesThem(t *testing.T) {
	st, _ := channelStore(t, store.Limits{})
	newConn(t, st, "c", "s")
	if _, err := st.CreateEndpoint(dev, store.NewEndpoint{IntegrationIdentifier: "slack-0012", ConnectionIdentifier: "c", SubscriberID: "s",
		Type: "slack_user", Endpoint: map[string]any{"userId": "U"}}); err != nil {
		t.Fatal(err)
	}
	withChannels := st.Counts().Bytes
	if _, err := st.Delete(dev, "650000000000000000000012"); err != nil {
		t.Fatal(err)
	}
	if c := st.Counts(); c.ChannelConnections != 0 || c.ChannelEndpoints != 0 || c.Bytes >= withChannels {
		t.Errorf("after the integration's delete: %+v", c)
	}
	if err := st.Check(); err != nil {
		t.Error(err)
	}
}

func TestLoad_Channels(t *testing.T) {
	t0 := store.At(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	conn := store.Connection{Cursor: "650000000000000000000100", EnvironmentID: envID, Identifier: "c", IntegrationIdentifier: "slack-0012",
		SubscriberID: "s", Workspace: store.Workspace{ID: "T"}, Auth: store.Auth{AccessToken: "x"}, CreatedAt: t0, UpdatedAt: t0}
	end := store.Endpoint{Cursor: "650000000000000000000101", EnvironmentID: envID, Identifier: "e", IntegrationIdentifier: "slack-0012",
		SubscriberID: "s", Type: "slack_user", Endpoint: store.ObjectOf(map[string]any{"userId": "U"}), CreatedAt: t0, UpdatedAt: t0}
	with := func(change func(*store.Dataset)) store.Dataset {
		ds := validDataset()
		ds.ChannelConnections = []store.Connection{conn}
		ds.ChannelEndpoints = []store.Endpoint{end}
		change(&ds)
		return ds
	}
	t.Run("OKFillsFromIntegration", func(t *testing.T) {
		st := store.New(store.Options{AutoSubscribers: true})
		ds := with(func(d *store.Dataset) { d.ChannelConnections[0].ContextKeys = []string{"z:1", "a:2"} })
		if err := st.Load(ds); err != nil {
			t.Fatal(err)
		}
		c := st.Connections(envID)[0]
		e := st.Endpoints(envID)[0]
		if c.ProviderID != "slack" || c.Channel != store.ChannelChat || !slices.Equal(c.ContextKeys, []string{"a:2", "z:1"}) ||
			e.ProviderID != "slack" || e.ContextKeys == nil {
			t.Errorf("loaded %+v, %+v", c, e)
		}
		// New records come after the loaded ones.
		n, err := st.CreateConnection(dev, store.NewConnection{IntegrationIdentifier: "slack-0012", SubscriberID: "t", Workspace: store.Workspace{ID: "T"}})
		if err != nil || n.Cursor <= c.Cursor {
			t.Errorf("new cursor %s after loaded %s (%v)", n.Cursor, c.Cursor, err)
		}
		if err := st.Check(); err != nil {
			t.Error(err)
		}
	})
	for _, tc := range []struct {
		name   string
		change func(*store.Dataset)
		want   string
	}{
		{"ErrEnvironment", func(d *store.Dataset) { d.ChannelConnections[0].EnvironmentID = "650000000000000000000009" }, "names no environment"},
		{"ErrIntegration", func(d *store.Dataset) { d.ChannelEndpoints[0].IntegrationIdentifier = "gone" }, `integrationIdentifier "gone" names no live integration`},
		{"ErrDeletedIntegration", func(d *store.Dataset) {
			d.Integrations[2].Deleted, d.Integrations[2].DeletedAt = true, t0
		}, "names no live integration"},
		{"ErrSlot", func(d *store.Dataset) {
			c2 := conn
			c2.Cursor, c2.Identifier = "650000000000000000000102", "c2"
			d.ChannelConnections = append(d.ChannelConnections, c2)
		}, `connection "c" already holds`},
		{"ErrToolTwice", func(d *store.Dataset) {
			d.Integrations[2].ProviderID, d.Integrations[2].Identifier = "pagerduty", "slack-0012"
			pd := store.ObjectOf(map[string]any{"routingKey": strings.Repeat("a", 32), "region": "us"})
			d.ChannelEndpoints[0].Type, d.ChannelEndpoints[0].Endpoint = "pagerduty_service", pd
			e2 := d.ChannelEndpoints[0]
			e2.Cursor, e2.Identifier = "650000000000000000000103", "e2"
			d.ChannelConnections = nil
			d.ChannelEndpoints = append(d.ChannelEndpoints, e2)
		}, "has a pagerduty_service endpoint"},
		{"ErrNeedsProvider", func(d *store.Dataset) {
			d.ChannelEndpoints[0].Type = "opsgenie_integration"
			d.ChannelEndpoints[0].Endpoint = store.ObjectOf(map[string]any{"apiKey": "0c6d3e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "region": "us"})
		}, "needs an Opsgenie integration"},
		{"ErrWebexWithoutConnection", func(d *store.Dataset) {
			d.Integrations[2].ProviderID = "webex-messaging"
			d.ChannelConnections = nil
			d.ChannelEndpoints[0].Type, d.ChannelEndpoints[0].Endpoint = "webex_room", store.ObjectOf(map[string]any{"roomId": "r"})
		}, "needs a connectionIdentifier"},
		{"ErrRefreshToken", func(d *store.Dataset) {
			d.Integrations[2].ProviderID = "msteams"
			d.ChannelEndpoints = nil
			d.ChannelConnections[0].Auth.RefreshToken = "r"
		}, "token rotation is not supported"},
		{"ErrTooManyKeys", func(d *store.Dataset) {
			d.ChannelConnections[0].ContextKeys = []string{"a:1", "b:1", "c:1", "d:1", "e:1", "f:1"}
		}, "6 keys, at most 5"},
		{"ErrKeyTwice", func(d *store.Dataset) { d.ChannelConnections[0].ContextKeys = []string{"a:1", "a:1"} }, "holds a key twice"},
		{"ErrNoTimes", func(d *store.Dataset) { d.ChannelEndpoints[0].CreatedAt = store.Time{} }, "createdAt and updatedAt are required"},
		{"ErrEmptyIdentifier", func(d *store.Dataset) { d.ChannelConnections[0].Identifier = "" }, "identifier is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := store.New(store.Options{}).Load(with(tc.change))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("ErrCountLimit", func(t *testing.T) {
		ds := with(func(d *store.Dataset) {
			for i := range 3 {
				c2 := conn
				c2.Cursor, c2.Identifier, c2.SubscriberID = fmt.Sprintf("65000000000000000000020%d", i), fmt.Sprint("c", i), fmt.Sprint("other", i)
				d.ChannelConnections = append(d.ChannelConnections, c2)
			}
		})
		err := store.New(store.Options{Limits: store.Limits{IntegrationsPerEnvironment: 3}}).Load(ds)
		var le *errs.Error
		if !errors.As(err, &le) || le.Bound == nil || le.Bound.Resource != limits.ChannelConnections {
			t.Errorf("err = %v, want the connection count bound", err)
		}
	})
}

func TestDatasetFile_ChannelsRoundTrip(t *testing.T) {
	st, _ := channelStore(t, store.Limits{})
	oauth := map[string]any{"clientId": "C", "secretKey": "S"} // what a rotating refresh token needs (contract K1)
	if _, err := st.Update(dev, "650000000000000000000012", store.Patch{Credentials: &oauth}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateConnection(dev, store.NewConnection{IntegrationIdentifier: "slack-0012", ConnectionMode: store.ModeShared,
		ContextKeys: []string{"tenant:a"}, Workspace: store.Workspace{ID: "T", Name: "N", BotUserID: "B"},
		Auth: store.Auth{AccessToken: "a", RefreshToken: "r", ExpiresAt: "x", RefreshTokenExpiresAt: "y"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateEndpoint(dev, store.NewEndpoint{IntegrationIdentifier: "slack-0012", SubscriberID: "s", Type: "webhook",
		Endpoint: map[string]any{"url": "https://x", "channel": "#a"}}); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := store.EncodeDataset(&first, st.Dataset()); err != nil {
		t.Fatal(err)
	}
	ds, err := store.DecodeDataset(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	again := store.New(store.Options{})
	if err := again.Load(ds); err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if err := store.EncodeDataset(&second, again.Dataset()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("encode, decode, load, encode differ:\n%s\n---\n%s", first.Bytes(), second.Bytes())
	}
	_, err = store.DecodeDataset(strings.NewReader(`{"organizations":[],"environments":[],"integrations":[],"channelConnections":[{"_id":"x","createdAt":5}]}`))
	if err == nil || !strings.Contains(err.Error(), `channelConnections[0]: field "createdAt"`) {
		t.Errorf("err = %v, want the record and field named", err)
	}
}

// TestPaging_MatchesModel pages through random records with many equal
// times, in every order and direction, and compares each page with a
// plain reading of Novu's DAL: sort, then slice around the cursor.
func TestPaging_MatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		clock := &settableClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
		st := store.New(store.Options{Now: clock.Now, IDs: store.NewIDs(uint64(round)), AutoSubscribers: true})
		if err := st.Load(validDataset()); err != nil {
			t.Fatal(err)
		}
		n := 1 + rng.IntN(25)
		for i := range n {
			clock.set(clock.Now().Add(time.Duration(rng.IntN(3)) * time.Second)) // ties on purpose
			if _, err := st.CreateConnection(dev, store.NewConnection{Identifier: fmt.Sprintf("c%02d", i), IntegrationIdentifier: "slack-0012",
				SubscriberID: fmt.Sprint("s", i), ContextKeys: []string{fmt.Sprint("g:", rng.IntN(3))}, Workspace: store.Workspace{ID: "T"}}); err != nil {
				t.Fatal(err)
			}
			if rng.IntN(4) == 0 {
				clock.set(clock.Now().Add(time.Second))
				id := fmt.Sprintf("c%02d", rng.IntN(i+1))
				if _, err := st.UpdateConnection(dev, id, store.Workspace{ID: "T2"}, store.Auth{}); err != nil {
					t.Fatal(err)
				}
			}
		}
		all := st.Connections(envID)
		for range 40 {
			q := store.PageQuery{Limit: 1 + rng.IntN(6), ByUpdated: rng.IntN(2) == 0, Ascending: rng.IntN(2) == 0, IncludeCursor: rng.IntN(2) == 0}
			f := store.ConnectionFilter{}
			if rng.IntN(3) == 0 {
				f.ContextKeys = []string{fmt.Sprint("g:", rng.IntN(3))}
			}
			c := all[rng.IntN(len(all))].Cursor
			switch rng.IntN(3) {
			case 0:
				q.After = c
			case 1:
				q.Before = c
			}
			got, err := st.ListConnections(dev, f, q)
			if err != nil {
				t.Fatal(err)
			}
			want := modelPage(all, f, q)
			if !slices.Equal(cursorsOf(got.Records), cursorsOf(want.Records)) || got.Next != want.Next || got.Previous != want.Previous ||
				got.TotalCount != want.TotalCount {
				t.Fatalf("round %d, %+v %+v:\n got %v next %s prev %s total %d\nwant %v next %s prev %s total %d", round, q, f,
					idsOf(got.Records), got.Next, got.Previous, got.TotalCount, idsOf(want.Records), want.Next, want.Previous, want.TotalCount)
			}
		}
	}
}

// modelPage is Novu's cursor paging read plainly.
func modelPage(all []store.Connection, f store.ConnectionFilter, q store.PageQuery) store.Page[store.Connection] {
	key := func(c store.Connection) string {
		at := c.CreatedAt
		if q.ByUpdated {
			at = c.UpdatedAt
		}
		return at.Format(time.RFC3339Nano) + "|" + c.Cursor // times of one zone and precision sort as text
	}
	var list []store.Connection
	for _, c := range all {
		if f.ContextKeys == nil || slices.Equal(c.ContextKeys, f.ContextKeys) {
			list = append(list, c)
		}
	}
	slices.SortFunc(list, func(a, b store.Connection) int {
		if q.Ascending {
			return strings.Compare(key(a), key(b))
		}
		return strings.Compare(key(b), key(a))
	})
	// before reports whether a comes before b in the list's order.
	before := func(a, b string) bool {
		if q.Ascending {
			return a < b
		}
		return a > b
	}
	var cur string
	for _, c := range all {
		if c.Cursor == q.After+q.Before {
			cur = key(c)
		}
	}
	var idx []int
	for i, c := range list {
		k := key(c)
		switch {
		case q.After != "" && (before(cur, k) || q.IncludeCursor && k == cur):
			idx = append(idx, i)
		case q.Before != "" && (before(k, cur) || q.IncludeCursor && k == cur):
			idx = append(idx, i)
		case q.After == "" && q.Before == "":
			idx = append(idx, i)
		}
	}
	if q.Before != "" && len(idx) > q.Limit {
		idx = idx[len(idx)-q.Limit:]
	} else if len(idx) > q.Limit {
		idx = idx[:q.Limit]
	}
	p := store.Page[store.Connection]{TotalCount: len(list)}
	if len(idx) == 0 {
		return p
	}
	for _, i := range idx {
		p.Records = append(p.Records, list[i])
	}
	if first := idx[0]; first > 0 {
		p.Previous = list[first].Cursor
	}
	if lastIdx := idx[len(idx)-1]; lastIdx < len(list)-1 {
		p.Next = list[lastIdx].Cursor
	}
	return p
}

func cursorsOf(cs []store.Connection) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Cursor)
	}
	return out
}

func idsOf(cs []store.Connection) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Identifier)
	}
	return out
}

// TestChannels_LargestRecordLoadsAgain: a connection about as large as a
// 100 kB request can make (the body's JSON takes the rest) exports and
// loads again.
func TestChannels_LargestRecordLoadsAgain(t *testing.T) {
	st, _ := channelStore(t, store.Limits{})
	keys := []string{"a:" + strings.Repeat("x", 100), "b:1", "c:1", "d:1", "e:1"}
	if _, err := st.CreateConnection(dev, store.NewConnection{IntegrationIdentifier: "slack-0012", SubscriberID: strings.Repeat("s", 1024),
		ContextKeys: keys, Workspace: store.Workspace{ID: "T"}, Auth: store.Auth{AccessToken: strings.Repeat("t", 102400-1400)}}); err != nil {
		t.Fatal(err)
	}
	if err := store.New(store.Options{}).Load(st.Dataset()); err != nil {
		t.Errorf("the largest connection a request can make does not load again: %v", err)
	}
}
