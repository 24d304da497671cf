// Package alert decides which job transitions are news and delivers them: the
// terminal bell, a desktop notification written through the terminal (OSC 9
// or OSC 777), and a command run without a shell. It is plain Go with no
// Bubble Tea, so the single-user dashboard and a shared server can both use
// it: a Tracker per poller decides what is news, a Gate and a Command run the
// team's command once, and each viewer has its own Mute and Desktop.
//
// It imports api, watchlist and jobjson; never ui, ui/cli or Bubble Tea.
package alert
