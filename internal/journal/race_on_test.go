//go:build race

package journal_test

// raceEnabled: the race detector drops sync.Pool's items at random (so
// encoding/json's pooled scanner is made again), which allocation counts
// must not read as the code's.
const raceEnabled = true
