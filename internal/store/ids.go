package store

import (
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"sync"
	"time"
)

// IDs hands out the ids and secrets of new records: MongoDB-style ObjectIds,
// the short random suffix of default identifiers, and API keys. A seeded IDs
// repeats its sequence exactly, which is what makes fixtures and golden
// tests reproducible.
type IDs struct {
	mu      sync.Mutex
	rng     *rand.Rand
	process [5]byte // an ObjectId's per-process random part
	counter uint32
	// secret makes SecretObjectID unguessable (RandomIDs); a seeded source
	// keeps every id sequential, so that generated data is reproducible.
	secret bool
}

// NewIDs returns a deterministic source: the same seed gives the same ids in
// the same order (ObjectIds also depend on the time passed in).
func NewIDs(seed uint64) *IDs {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return newIDs(s)
}

// RandomIDs returns a source seeded from the operating system's randomness,
// for ids that must not repeat across runs.
func RandomIDs() *IDs {
	var s [32]byte
	_, _ = crand.Read(s[:]) // never fails on supported platforms (Go 1.24+)
	g := newIDs(s)
	g.secret = true
	return g
}

func newIDs(seed [32]byte) *IDs {
	g := &IDs{rng: rand.New(rand.NewChaCha8(seed))}
	binary.LittleEndian.PutUint32(g.process[:4], g.rng.Uint32())
	g.process[4] = byte(g.rng.Uint32())
	g.counter = g.rng.Uint32() & 0xffffff
	return g
}

// ObjectID returns a new 24-hex-digit ObjectId: 4 bytes of t's Unix seconds,
// 5 bytes fixed per source, 3 bytes of counter, as MongoDB builds them.
func (g *IDs) ObjectID(t time.Time) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var b [12]byte
	binary.BigEndian.PutUint32(b[:4], uint32(t.Unix()))
	copy(b[4:9], g.process[:])
	g.counter = (g.counter + 1) & 0xffffff
	b[9], b[10], b[11] = byte(g.counter>>16), byte(g.counter>>8), byte(g.counter)
	return hex.EncodeToString(b[:])
}

// SecretObjectID returns an ObjectId for an organization, environment or
// user: from a RandomIDs source its last 8 bytes are random, so that no
// tenant can work out another's ids from its own (MongoDB's counter would
// make a neighbour's id its own plus one); from a seeded source it is
// ObjectID, so generated data stays reproducible.
func (g *IDs) SecretObjectID(t time.Time) string {
	if !g.secret {
		return g.ObjectID(t)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	var b [12]byte
	binary.BigEndian.PutUint32(b[:4], uint32(t.Unix()))
	binary.LittleEndian.PutUint64(b[4:], g.rng.Uint64())
	return hex.EncodeToString(b[:])
}

const shortIDAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// ShortID returns a random id of 7 to 14 characters from [A-Za-z0-9_-], the
// shape of the shortid package Novu uses for default identifiers.
func (g *IDs) ShortID() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 7 + g.rng.IntN(8)
	b := make([]byte, n)
	for i := range b {
		b[i] = shortIDAlphabet[g.rng.IntN(len(shortIDAlphabet))]
	}
	return string(b)
}

// Alnum is [A-Za-z0-9], an alphabet of Random.
const Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Random returns n characters drawn from alphabet: generated identifiers
// (chconn_…), tokens and codes.
func (g *IDs) Random(n int, alphabet string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b)
}

// APIKey returns a new secret API key: 32 lowercase hex digits, like Novu's.
func (g *IDs) APIKey() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], g.rng.Uint64())
	binary.LittleEndian.PutUint64(b[8:], g.rng.Uint64())
	return hex.EncodeToString(b[:])
}
