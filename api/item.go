package api

import (
	"errors"
	"strconv"
)

// Raw size bounds of one answered item; beyond them the item is unusable
// (its text would be clipped anyway, and an ID that long matches nothing).
const (
	maxWireID   = maxIDText
	maxWireText = 4 << 10
)

// checkItem applies the per-item rules a decoded item must meet: a
// FaxJobId, and fields within their bounds. A failing item is returned as
// unusable, so only its own job goes without a fresh status.
func checkItem(it WireItem) WireItem {
	switch {
	case it.FaxJobID == "":
		return unusableItem("", "the item has no FaxJobId")
	case len(it.FaxJobID) > maxWireID:
		return unusableItem("", "FaxJobId is longer than "+strconv.Itoa(maxWireID)+" bytes")
	}
	for _, f := range []struct{ name, value string }{
		{"StatusDescription", it.Description}, {"ErrorString", it.Error.Message}, {"FaxDeliveryDateTime", it.DeliveredAt},
		{"RemoteFaxCSID", it.RemoteCSID}, {"ReferenceId", it.ReferenceID},
	} {
		if len(f.value) > maxWireText {
			return unusableItem(it.FaxJobID, f.name+" is longer than "+strconv.Itoa(maxWireText)+" bytes")
		}
	}
	return it
}

// unusableItem keeps only what matching needs: the FaxJobId, when it is
// within bounds.
func unusableItem(faxJobID, problem string) WireItem {
	if len(faxJobID) > maxWireID {
		faxJobID = ""
	}
	return WireItem{FaxJobID: faxJobID, Problem: problem}
}

// problemOf is the one-line reason of a field error.
func problemOf(err error) string {
	var pe *ProtocolError
	if errors.As(err, &pe) && pe.Detail != "" {
		return pe.Detail
	}
	return clip(Sanitize(err.Error()), maxSnippet)
}
