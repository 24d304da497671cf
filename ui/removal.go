package ui

import "faxwatch/watchlist"

// RemovalText says who removed a job an undo brought back, and when:
// "removed by alice 10:42", "removed by another faxwatch 10:42", or
// "removed 10:42" when it was removed here without a name.
func RemovalText(r *watchlist.Restoration) string {
	return "removed" + removedBy(r) + " " + r.RemovedAt.Format("15:04")
}

// removedBy is " by alice", " by another faxwatch", or "".
func removedBy(r *watchlist.Restoration) string {
	if r.Elsewhere && r.RemovedBy == "" {
		return " by another faxwatch"
	}
	return byWhom(r.RemovedBy)
}
