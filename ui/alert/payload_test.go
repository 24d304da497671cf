package alert

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestJSONIsSanitisedAndBounded(t *testing.T) {
	a := hostileAlert().Merge(failedAlert(2 * MaxJobs))
	a.Stale = &StaleNews{Since: t0, For: 6 * time.Minute, Reason: "refused\x1b[2J"}
	raw := a.JSON()
	var got struct {
		Text  string           `json:"text"`
		At    string           `json:"at"`
		Total int              `json:"total"`
		Jobs  []map[string]any `json:"jobs"`
		Stale map[string]any   `json:"stale"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.Total != 2*MaxJobs+1 || len(got.Jobs) != MaxJobs {
		t.Fatalf("total %d, %d jobs; want %d and at most %d", got.Total, len(got.Jobs), 2*MaxJobs+1, MaxJobs)
	}
	if at := t0.Format(time.RFC3339); got.At != at || got.Stale["seconds"] != 360.0 || got.Stale["since"] != at {
		t.Errorf("at %q stale %v", got.At, got.Stale)
	}
	var all strings.Builder
	all.WriteString(got.Text)
	for _, j := range got.Jobs {
		for _, v := range j {
			if s, ok := v.(string); ok {
				all.WriteString(s)
			}
		}
	}
	all.WriteString(got.Stale["reason"].(string))
	if strings.ContainsAny(all.String(), "\x1b\x07\r\n\u009b\u202e") {
		t.Error("the payload's strings hold control characters")
	}
	if !strings.HasPrefix(got.Text, "faxwatch: 2001 jobs failed: br1000001x, br1000001x") {
		t.Errorf("text %q", got.Text)
	}
}
