// Package ui is the faxwatch dashboard: a Bubble Tea v2 program that owns the
// watchlist while it runs, polls through a StatusSource in commands, feeds
// answers to watchlist.Apply and renders the header, the job table, the
// detail pane, inputs, toasts and help.
//
// When and what to poll is the Poller's (generation-tagged polls, the
// interval timer, backoff, the server's hold-off, queued refreshes, cancel);
// it knows no screen, so one Poller can serve more than one dashboard. The
// root Model routes messages to it, to the components and to the key handler
// of the mode on screen.
//
// Components (header, table, detail, input, status line, help overlay) are
// small models with Update, View() string and SetSize; only the root Model
// returns a tea.View. Table keys are held back for a moment first, so a
// burst of them faster than typing is read as a paste (burst.go).
// They share only common (styles, keys, the clock); the header is handed
// values, never pointers into the table or the Poller. One KeyMap and one
// Styles serve them all.
//
// It imports api and watchlist; it must not import main or touch the network
// or files except through those two.
package ui
