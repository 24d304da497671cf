package api

import (
	"strings"
	"testing"
	"time"
)

func TestExportedRules(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // "" means accepted
	}{
		{"https", CheckServiceURL("https://ws.example.com/fax/v5"), ""},
		{"loopback http", CheckServiceURL("http://127.0.0.1:8099/fax/v5"), ""},
		{"remote http", CheckServiceURL("http://ws.example.com/"), "http:// is refused for ws.example.com"},
		{"userinfo", CheckServiceURL("https://u:p@ws.example.com/"), "credentials in the URL"},
		{"timeout zero", CheckTimeout(0), "out of range; use a duration above 0s and at most 10m"},
		{"timeout max", CheckTimeout(MaxTimeout), ""},
		{"batch 0", CheckBatchSize(0), "use 1 to 1000"},
		{"batch 1001", CheckBatchSize(MaxBatchSize + 1), "1001 is out of range"},
		{"concurrency 17", CheckConcurrency(17), "use 1 to 16"},
		{"concurrency 16", CheckConcurrency(16), ""},
	}
	for _, tt := range tests {
		switch {
		case tt.want == "" && tt.err != nil:
			t.Errorf("%s: refused: %v", tt.name, tt.err)
		case tt.want != "" && (tt.err == nil || !strings.Contains(tt.err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", tt.name, tt.err, tt.want)
		}
	}
	// New applies the same rules, naming the option.
	_, err := New(Options{UserID: "mbx1", BatchSize: 1001, Timeout: time.Second, Auth: Auth{Mode: AuthPIN, PIN: NewSecret("1234")}})
	if err == nil || !strings.Contains(err.Error(), "batch_size: 1001 is out of range") {
		t.Errorf("New with batch 1001: %v", err)
	}
}
