package store

import (
	"io"
	"slices"
)

// Snapshot is the whole content of a store at one moment, held the way the
// store holds it: its integrations as records (no pointer per integration)
// with the arena chunks their text is in, which only ever grow, so taking
// one costs a copy of the records (about 100 bytes each) and the collector
// marks it in no time however large it is. The rest (organizations,
// environments, channel connections, endpoints, subscribers) is copied.
//
// It is what an export streams, a state file saves and a reset returns to.
// It does not change: the store goes on without it.
type Snapshot struct {
	recs []record // every integration, in the dataset's order
	text []string // the chunks their text is in
	// rest is everything else, its Integrations nil.
	rest Dataset
}

// Snapshot returns the store's content as it is now, read under one lock:
// an export or a save made from it is the store at one moment, whatever
// changes while it is written.
func (s *Store) Snapshot() *Snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snapshot()
}

// snapshot is Snapshot with the lock held; the order is Dataset's (see
// there).
func (s *Store) snapshot() *Snapshot {
	sn := &Snapshot{recs: make([]record, 0, s.byID.len()), text: slices.Clone(s.tab.text.chunks),
		rest: Dataset{Organizations: []Organization{}, Environments: []Environment{},
			ChannelConnections: []Connection{}, ChannelEndpoints: []Endpoint{}, Subscribers: []Subscriber{}}}
	for _, o := range s.orgOrder {
		sn.rest.Organizations = append(sn.rest.Organizations, o.Organization)
		for _, e := range o.envs {
			sn.rest.Environments = append(sn.rest.Environments, e.Environment.clone())
			for _, list := range [][]handle{e.live, e.deleted} {
				for _, h := range list {
					sn.recs = append(sn.recs, *s.tab.rec(h))
				}
			}
			sn.rest.appendChannels(e)
			for _, sub := range e.subscribers.list {
				sn.rest.Subscribers = append(sn.rest.Subscribers, *sub)
			}
		}
	}
	return sn
}

// NewSnapshot holds a dataset as a snapshot, as it is (unchecked: Load
// checks what it loads): what a reset returns to, kept small.
func NewSnapshot(ds Dataset) *Snapshot {
	var text arena
	sn := &Snapshot{recs: make([]record, len(ds.Integrations)), rest: ds.copyRest()}
	for i := range ds.Integrations {
		sn.recs[i] = text.pack(&ds.Integrations[i])
	}
	sn.text = text.chunks
	return sn
}

// Len returns how many integrations the snapshot holds.
func (sn *Snapshot) Len() int { return len(sn.recs) }

// integration returns the snapshot's i-th integration.
func (sn *Snapshot) integration(i int) Integration { return unpack(sn.text, &sn.recs[i]) }

// Dataset returns the snapshot's content as a dataset of its own.
func (sn *Snapshot) Dataset() Dataset {
	ds := sn.rest.copyRest()
	ds.Integrations = make([]Integration, len(sn.recs))
	for i := range sn.recs {
		ds.Integrations[i] = sn.integration(i)
	}
	return ds
}

// Encode writes the snapshot in the dataset file format, record by record:
// the same bytes as EncodeDataset of its Dataset, without making it.
func (sn *Snapshot) Encode(w io.Writer) error {
	return encodeSections(w, sn.rest, len(sn.recs), func(i int) any { return sn.integration(i) })
}

// copyRest copies everything but the integrations, sharing nothing that
// can change.
func (ds Dataset) copyRest() Dataset {
	out := Dataset{Organizations: slices.Clone(ds.Organizations), Environments: make([]Environment, len(ds.Environments)),
		ChannelConnections: make([]Connection, len(ds.ChannelConnections)), ChannelEndpoints: make([]Endpoint, len(ds.ChannelEndpoints)),
		Subscribers: slices.Clone(ds.Subscribers)}
	for i, e := range ds.Environments {
		out.Environments[i] = e.clone()
	}
	for i, c := range ds.ChannelConnections {
		out.ChannelConnections[i] = c.clone()
	}
	for i, x := range ds.ChannelEndpoints {
		out.ChannelEndpoints[i] = x.clone()
	}
	if out.Organizations == nil {
		out.Organizations = []Organization{}
	}
	if out.Subscribers == nil {
		out.Subscribers = []Subscriber{}
	}
	return out
}
