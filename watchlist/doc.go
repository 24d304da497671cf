// Package watchlist owns the domain state: the ordered, de-duplicated set of
// watched jobs with what is known of each, which are due for polling, merging
// a poll's answer, and crash-safe persistence shared with other faxwatch
// processes.
//
// It imports api for job IDs and status types; it must not import ui or Bubble
// Tea: the dashboard and the `watch` sub-commands both use it.
package watchlist
