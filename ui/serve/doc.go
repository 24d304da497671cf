// Package serve is faxwatch serve: one SSH server (charm.land/wish), one
// poller and one watchlist for a whole team. The Hub owns the store and the
// ui.Poller on its own goroutine and publishes each change as one immutable
// ui.SharedState; every SSH session runs its own ui.Model against it
// (ui.Options.Shared), so view state is per person and the list is shared.
// A session is told of changes through a one-slot mailbox that keeps only
// the latest state: a stalled client never delays the hub or another
// session.
//
// It imports ui, ui/alert, watchlist and api; ui/cli imports it,
// never the other way round.
package serve
