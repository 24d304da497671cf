// Package ui is the faxwatch dashboard: a Bubble Tea v2 program that owns the
// watchlist while it runs, arms the refresh timer, polls through a
// StatusSource in commands, feeds answers to watchlist.Apply and renders the
// header, the job table, the detail pane, inputs, toasts and help.
//
// Components (header, table, detail, input, status line) are small models with
// Update, View() string and SetSize; only the root Model returns a tea.View.
// One KeyMap and one Styles serve them all.
//
// It imports api and watchlist; it must not import main or touch the network
// or files except through those two.
package ui
