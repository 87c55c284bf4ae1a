// Package store is the mock's in-memory database of organizations,
// environments, API keys, integrations, channel connections and channel
// endpoints, and the owner of Novu's business rules for them.
//
// Every rule that touches more than one record (primary toggling, priority
// renumbering, soft delete, identifier uniqueness) runs inside one operation
// under one lock, so no interleaving of requests can break the invariants:
//
//   - at most one primary per environment and channel among live records;
//   - the active email and sms integrations of an environment have the
//     priorities N..1 with no gaps or repeats;
//   - soft-deleted records are kept, but appear in no list;
//   - every channel connection and endpoint names a live integration of its
//     environment, and is unique where Novu makes it so (identifier; a
//     connection per integration, subscriber and context).
//
// The store returns copies, never pointers into its maps, and indexes
// integrations by environment so that a list costs what that environment
// holds. It knows nothing of HTTP: callers get typed errors (see Error) and
// decide how to present them.
package store
