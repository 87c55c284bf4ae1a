package store

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// recordsWorkload runs creates, renames, moves, activations, primaries and
// deletes (past KeepDeleted, so records are dropped for good) across two
// environments, looking records up by id and identifier throughout, and
// returns the store's content encoded. collide makes every hash of the
// store's indexes the same.
func recordsWorkload(t *testing.T, collide bool) string {
	t.Helper()
	st := New(Options{Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }, IDs: NewIDs(5),
		Limits: Limits{KeepDeleted: 3}, Verify: true})
	if collide {
		st.tab.hashMask = 0
	}
	dev, err := st.CreateEnvironment(NewEnvironment{Name: "Development", OrganizationName: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	prod, err := st.CreateEnvironment(NewEnvironment{Name: "Production", OrganizationID: dev.OrganizationID})
	if err != nil {
		t.Fatal(err)
	}
	dash := Caller{OrganizationID: dev.OrganizationID, EnvironmentID: dev.ID, UserID: "u"}
	channels := []Channel{ChannelEmail, ChannelSMS, ChannelChat, ChannelPush, ChannelEmail}
	var ids []string
	for i := range 24 {
		n := NewIntegration{ProviderID: fmt.Sprint("p", i%7), Channel: channels[i%len(channels)], Active: i%3 != 0,
			Credentials: map[string]any{"apiKey": fmt.Sprint("k", i)}}
		if i%2 == 0 {
			n.Identifier = fmt.Sprint("ident-", i)
		}
		if i%5 == 4 {
			n.Identifier, n.IdentifierGiven = "", true // several records without an identifier
		}
		it, err := st.Create(dash, n)
		if err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		ids = append(ids, it.ID)
	}
	str := func(s string) *string { return &s }
	yes, no := true, false
	steps := []func() error{
		func() error { _, err := st.Update(dash, ids[0], Patch{Identifier: str("renamed-0")}); return err },
		func() error { _, err := st.Update(dash, ids[1], Patch{EnvironmentID: &prod.ID}); return err },
		func() error {
			_, err := st.Update(dash, ids[2], Patch{EnvironmentID: &prod.ID, Identifier: str("moved-2")})
			return err
		},
		func() error { _, err := st.Update(dash, ids[3], Patch{Active: &no}); return err },
		func() error { _, err := st.Update(dash, ids[0], Patch{Active: &yes, Name: str("Zero")}); return err },
		func() error { _, err := st.SetPrimary(dash, ids[5]); return err },
		func() error { _, err := st.SetPrimary(dash, ids[10]); return err },
		func() error {
			_, err := st.Update(dash, ids[5], Patch{Conditions: &[]any{map[string]any{"isNegated": false}}})
			return err
		},
	}
	for i := 6; i < 20; i += 2 {
		steps = append(steps, func() error { _, err := st.Delete(dash, ids[i]); return err })
	}
	steps = append(steps, func() error {
		// the identifier of a deleted record is free again
		_, err := st.Create(dash, NewIntegration{ProviderID: "p1", Channel: ChannelChat, Identifier: "ident-6"})
		return err
	})
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if err := st.Check(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	for _, c := range []struct {
		caller     Caller
		identifier string
		found      bool
	}{
		{dash, "renamed-0", true}, {dash, "ident-0", false}, {dash, "ident-6", true}, {dash, "ident-8", false},
		{Caller{OrganizationID: dev.OrganizationID, EnvironmentID: prod.ID}, "moved-2", true},
		{dash, "moved-2", false}, {dash, "ident-22", true},
	} {
		_, err := st.IntegrationByIdentifier(c.caller, c.identifier)
		if (err == nil) != c.found {
			t.Errorf("IntegrationByIdentifier(%s): err = %v, want found %v", c.identifier, err, c.found)
		}
	}
	return encoded(t, st)
}

// TestRecords_HashCollisions: the indexes give the same results when every
// text collides with every other (the rare second text of a hash kept on
// its own), through every kind of integration write.
func TestRecords_HashCollisions(t *testing.T) {
	want := recordsWorkload(t, false)
	if got := recordsWorkload(t, true); got != want {
		t.Errorf("the content differs when every hash collides:\n%s\nwant:\n%s", got, want)
	}
}

// TestRecords_Compaction: text rewritten again and again is compacted
// once more is dead than live, and a copy handed out before keeps its text.
func TestRecords_Compaction(t *testing.T) {
	st, c, slack := writeWorld(t, Limits{KeepDeleted: 1})
	for range 2 { // the first is dropped for good: a free place in the table
		it, err := st.Create(c, NewIntegration{ProviderID: "fcm", Channel: ChannelPush})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Delete(c, it.ID); err != nil {
			t.Fatal(err)
		}
	}
	st.verify = false // each commit would encode the whole store
	big := strings.Repeat("x", 40<<10)
	first, err := st.Update(c, slack.ID, Patch{Credentials: &map[string]any{"clientId": "first " + big}})
	if err != nil {
		t.Fatal(err)
	}
	var last Integration
	for i := range 200 { // 8 MB of text written
		if last, err = st.Update(c, slack.ID, Patch{Credentials: &map[string]any{"clientId": fmt.Sprint(i, " ", big)}}); err != nil {
			t.Fatal(err)
		}
	}
	if used := st.tab.text.used; used > 2*compactBelow {
		t.Errorf("the arena holds %d bytes for one record of %d: not compacted", used, len(last.Credentials))
	}
	if want := `{"clientId":"first ` + big + `"}`; string(first.Credentials) != want {
		t.Errorf("a copy handed out before compaction changed")
	}
	got, _ := st.IntegrationByIdentifier(c, "slack")
	if got != last {
		t.Errorf("after compaction the record reads %+v, want %+v", got, last)
	}
	st.verify = true
	st.fingerprint = st.contentFingerprint()
	if err := st.Check(); err != nil {
		t.Error(err)
	}
}
